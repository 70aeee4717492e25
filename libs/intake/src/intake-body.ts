import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { IntakeError, IntakeErrorCode } from './intake-error';
import type { IntakeSource } from './intake-sources';

const gunzipAsync = promisify(gunzip);

export type HeaderValue = string | string[] | undefined;

/** A request as the intake sees it: headers by lower-case name, and the body's bytes as sent. */
export interface IntakeRequest {
  readonly headers: Readonly<Record<string, HeaderValue>>;
  readonly body: Buffer | undefined;
  /** The query string's parameters (only a Pub/Sub push's `token` is ever read). */
  readonly query?: Readonly<Record<string, unknown>>;
}

export function header(request: IntakeRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** `application/json; charset=utf-8` → `application/json`. */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0].trim().toLowerCase();
  return type === '' ? undefined : type;
}

async function decompressed(body: Buffer, encoding: string | undefined, maxBytes: number): Promise<Buffer> {
  const coding = encoding?.trim().toLowerCase();
  if (coding === undefined || coding === '' || coding === 'identity') {
    if (body.length > maxBytes) throw tooLarge(maxBytes);
    return body;
  }
  if (coding !== 'gzip' && coding !== 'x-gzip') {
    throw new IntakeError(
      IntakeErrorCode.UnsupportedEncoding,
      `Content-Encoding ${coding} is not accepted; send the body as it is or gzip-compressed`,
    );
  }
  try {
    return await gunzipAsync(body, { maxOutputLength: maxBytes });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge(maxBytes);
    throw new IntakeError(
      IntakeErrorCode.MalformedBody,
      `the body is not valid gzip: ${(error as Error).message}`,
    );
  }
}

function tooLarge(maxBytes: number): IntakeError {
  return new IntakeError(
    IntakeErrorCode.PayloadTooLarge,
    `the body is larger than ${maxBytes} bytes (after decompression; CAIRN_INTAKE_MAX_BODY_BYTES): send smaller batches`,
  );
}

const CLOUDEVENTS_CONTEXT = ['id', 'source', 'type', 'specversion', 'time', 'subject', 'dataschema'];

/**
 * CloudEvents binary content mode puts the attributes in ce-* headers and the data in the body;
 * the structured form (one JSON object) is what the Harbor normalizer reads, as when Harbor sends
 * application/cloudevents+json. The data must then be JSON, since it becomes part of an object.
 */
function structuredCloudEvent(request: IntakeRequest, data: Buffer, mediaType: string): Buffer {
  const event: Record<string, unknown> = { datacontenttype: mediaType };
  for (const [name, value] of Object.entries(request.headers)) {
    if (!name.startsWith('ce-') || value === undefined) continue;
    const attribute = name.slice(3);
    // Extension attribute names are lower-case letters and digits only (CloudEvents 1.0 §3.1.1).
    if (!CLOUDEVENTS_CONTEXT.includes(attribute) && !/^[a-z0-9]{1,20}$/.test(attribute)) continue;
    event[attribute] = Array.isArray(value) ? value[0] : value;
  }
  try {
    event.data = JSON.parse(data.toString('utf8'));
  } catch (error) {
    throw new IntakeError(
      IntakeErrorCode.MalformedBody,
      `a CloudEvent in binary mode must carry JSON data: ${(error as Error).message}`,
    );
  }
  return Buffer.from(JSON.stringify(event));
}

/**
 * The bytes one request puts on its raw topic: the body as sent (decompressed), checked only for
 * what the intake must know — its media type, its encoding and its size. Splitting a batch and
 * reading the events is ingest's job, where a bad event is dead-lettered with its original bytes.
 */
export async function rawMessageOf(
  source: IntakeSource,
  request: IntakeRequest,
  maxBytes: number,
): Promise<Buffer> {
  const mediaType = mediaTypeOf(header(request, 'content-type'));
  if (mediaType === undefined || !source.mediaTypes.includes(mediaType)) {
    throw new IntakeError(
      IntakeErrorCode.UnsupportedMediaType,
      `${source.name} accepts Content-Type ${source.mediaTypes.join(' or ')}, not ${mediaType ?? 'none'}`,
    );
  }
  const body = request.body ?? Buffer.alloc(0);
  const bytes = await decompressed(body, header(request, 'content-encoding'), maxBytes);
  if (bytes.length === 0) throw new IntakeError(IntakeErrorCode.EmptyBody, 'the body is empty');
  const binaryCloudEvent =
    source.cloudEventsBinary &&
    mediaType !== 'application/cloudevents+json' &&
    header(request, 'ce-specversion');
  return binaryCloudEvent ? structuredCloudEvent(request, bytes, mediaType) : bytes;
}
