import { createHash, randomBytes } from 'node:crypto';
import type { ApiRole } from '@cairn/api-policy';

export interface TestToken {
  readonly token: string;
  readonly entry: { name: string; role: ApiRole; sha256: string };
}

export function newToken(name: string, role: ApiRole): TestToken {
  const token = `cairn_test_${randomBytes(24).toString('base64url')}`;
  return { token, entry: { name, role, sha256: createHash('sha256').update(token).digest('hex') } };
}

export interface GraphQLResponse<T> {
  data?: T;
  errors?: { message: string; path?: string[]; extensions?: { code?: string } }[];
}

export async function graphql<T>(
  baseUrl: string,
  token: string | undefined,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<GraphQLResponse<T>> {
  const response = await fetch(`${baseUrl}/graphql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  return (await response.json()) as GraphQLResponse<T>;
}
