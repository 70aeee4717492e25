import { request } from 'node:https';
import { readFileSync } from 'node:fs';

export interface HttpsAnswer {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

export interface HttpsClientOptions {
  /** Files: the CA to trust, and a client certificate with its key. */
  readonly caFile: string;
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly headers?: Record<string, string>;
  readonly body?: string;
  readonly method?: string;
}

/** One HTTPS request that checks the server's certificate against the given CA, as a client must. */
export function httpsRequest(url: string, options: HttpsClientOptions): Promise<HttpsAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
        ca: readFileSync(options.caFile),
        ...(options.certFile && { cert: readFileSync(options.certFile) }),
        ...(options.keyFile && { key: readFileSync(options.keyFile) }),
        headers: options.headers,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A GraphQL request over HTTPS; the bearer token is optional (a client certificate may sign in). */
export async function graphqlOverHttps<T>(
  baseUrl: string,
  query: string,
  options: Omit<HttpsClientOptions, 'body' | 'headers'> & { token?: string },
): Promise<{
  status: number;
  headers: HttpsAnswer['headers'];
  json: { data?: T; errors?: { extensions?: { code?: string } }[] };
}> {
  const answer = await httpsRequest(`${baseUrl}/graphql`, {
    ...options,
    headers: {
      'content-type': 'application/json',
      ...(options.token && { authorization: `Bearer ${options.token}` }),
    },
    body: JSON.stringify({ query }),
  });
  return { status: answer.status, headers: answer.headers, json: JSON.parse(answer.body) as never };
}
