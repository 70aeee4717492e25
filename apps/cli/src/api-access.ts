import { readFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { ConfigError } from '@cairn/config';

/** Where the API is and who the command is, for commands that ask the API (export, report). */
export interface ApiAccess {
  readonly baseUrl: string;
  readonly token: string;
  readonly ca?: string;
}

function secret(name: string): string | undefined {
  const direct = process.env[name];
  const file = process.env[`${name}_FILE`];
  if (direct && file) throw new ConfigError([`${name} and ${name}_FILE are both set; set only one`]);
  if (!file) return direct || undefined;
  try {
    return readFileSync(file, 'utf8').trim();
  } catch (error) {
    throw new ConfigError([`${name}_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code})`]);
  }
}

/** CAIRN_API_URL (default the local API), CAIRN_TOKEN or CAIRN_TOKEN_FILE, CAIRN_API_CA_FILE. */
export function apiAccess(role: string): ApiAccess {
  const token = secret('CAIRN_TOKEN');
  if (!token)
    throw new ConfigError([`CAIRN_TOKEN: a token of the ${role} role is needed (or CAIRN_TOKEN_FILE)`]);
  const baseUrl = process.env.CAIRN_API_URL ?? 'http://127.0.0.1:4000';
  if (!/^https?:\/\/[^\s/]+/.test(baseUrl))
    throw new ConfigError(['CAIRN_API_URL: must be an http:// or https:// URL']);
  const caFile = process.env.CAIRN_API_CA_FILE;
  let ca: string | undefined;
  if (caFile) {
    try {
      ca = readFileSync(caFile, 'utf8');
    } catch (error) {
      throw new ConfigError([
        `CAIRN_API_CA_FILE: cannot read ${caFile} (${(error as NodeJS.ErrnoException).code})`,
      ]);
    }
  }
  return { baseUrl, token, ...(ca && { ca }) };
}

/** One GraphQL request; variables carry every value (no query text is built from input). */
export function graphqlRequest<T>(
  access: ApiAccess,
  query: string,
  variables: Record<string, unknown>,
): Promise<{ status: number; data?: T; errors?: { message: string; extensions?: { code?: string } }[] }> {
  const url = new URL('/graphql', access.baseUrl);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const body = JSON.stringify({ query, variables });
  return new Promise((resolve, reject) => {
    const call = send(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${access.token}`,
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
        },
        ...(access.ca && { ca: access.ca }),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          try {
            resolve({ status: response.statusCode ?? 0, ...(JSON.parse(text) as object) });
          } catch {
            reject(new Error(`the API answered ${response.statusCode} with no JSON: ${text.slice(0, 200)}`));
          }
        });
      },
    );
    call.on('error', reject);
    call.end(body);
  });
}
