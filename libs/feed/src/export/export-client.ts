import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';

/** The response header that carries the cursor to pass as `after` next (the API's NEXT_CURSOR_HEADER). */
const NEXT_CURSOR = 'cairn-next-cursor';

export interface ExportClientOptions {
  /** The API's address, e.g. https://cairn.example.com:4000. */
  readonly baseUrl: string;
  /** A `siem` or `admin` token. */
  readonly token: string;
  /** PEM CA for an API whose certificate a public CA did not sign. */
  readonly ca?: string;
}

export interface ExportQuery {
  readonly format: string;
  readonly limit: number;
  /** products, sourceKinds, controls (comma-separated), minSeverity, from. */
  readonly filters: Readonly<Record<string, string | undefined>>;
}

export interface ExportPage {
  /** The page as the API sent it: one event per line. */
  readonly body: Buffer;
  readonly events: number;
  /** Pass as `after` for the next page; the same as `after` when caught up. */
  readonly cursor: string;
}

/** A refusal by the API: its status and the stable code of its error body. */
export class ExportRefusedError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'ExportRefusedError';
  }
}

function get(url: URL, options: ExportClientOptions): Promise<{ response: IncomingMessage; body: Buffer }> {
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const call = send(
      url,
      { headers: { authorization: `Bearer ${options.token}` }, ...(options.ca && { ca: options.ca }) },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ response, body: Buffer.concat(chunks) }));
        response.on('error', reject);
      },
    );
    call.on('error', reject);
    call.end();
  });
}

function refusalOf(status: number, body: Buffer): ExportRefusedError {
  let code: string | undefined;
  let message = body.toString('utf8').slice(0, 500);
  try {
    const parsed = JSON.parse(message) as { errors?: { message?: string; extensions?: { code?: string } }[] };
    code = parsed.errors?.[0]?.extensions?.code;
    message = parsed.errors?.[0]?.message ?? message;
  } catch {
    // not the API's JSON error: the text is the message
  }
  return new ExportRefusedError(
    status,
    code,
    `the API answered ${status}${code ? ` ${code}` : ''}: ${message}`,
  );
}

/**
 * Pages through the SIEM feed's pull export from `after` (undefined: the oldest stored event)
 * until a page comes back empty with the same cursor: caught up. Each page is yielded with the
 * cursor that follows it, so a caller that keeps the last cursor it wrote resumes exactly there.
 */
export async function* exportPages(
  options: ExportClientOptions,
  query: ExportQuery,
  after?: string,
): AsyncGenerator<ExportPage> {
  let cursor = after;
  for (;;) {
    const url = new URL('/feed/v1/events', options.baseUrl);
    url.searchParams.set('format', query.format);
    url.searchParams.set('limit', String(query.limit));
    for (const [name, value] of Object.entries(query.filters))
      if (value !== undefined) url.searchParams.set(name, value);
    if (cursor !== undefined) url.searchParams.set('after', cursor);
    const { response, body } = await get(url, options);
    if (response.statusCode !== 200) throw refusalOf(response.statusCode ?? 0, body);
    const next = response.headers[NEXT_CURSOR];
    if (typeof next !== 'string' || next === '') throw new Error(`the API sent no ${NEXT_CURSOR} header`);
    let events = 0;
    for (const byte of body) if (byte === 0x0a) events += 1;
    if (events === 0 || next === cursor) return;
    yield { body, events, cursor: next };
    cursor = next;
  }
}
