import { ConsoleError, isApiErrorCode } from '../model/error-sentence';

interface Answer<T> {
  readonly data?: T | null;
  readonly errors?: readonly { message?: string; extensions?: { code?: unknown } }[];
}

/**
 * One question to the API's GraphQL endpoint on this origin, with the tab's token. Any error in
 * the answer fails the whole question: the console asks only for fields the role may read, so a
 * partial answer means something is wrong and must be shown, not half-drawn.
 */
export async function ask<T>(token: string, query: string, variables: object = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query, variables }),
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch (error) {
    throw new ConsoleError('NETWORK', error instanceof Error ? error.message : String(error));
  }
  let answer: Answer<T>;
  try {
    answer = (await response.json()) as Answer<T>;
  } catch {
    throw new ConsoleError('BAD_ANSWER', `HTTP ${response.status} with a body that is not JSON`);
  }
  const first = answer.errors?.[0];
  if (first) {
    const code = first.extensions?.code;
    throw new ConsoleError(isApiErrorCode(code) ? code : 'BAD_ANSWER', first.message ?? 'no message');
  }
  if (answer.data == null) throw new ConsoleError('BAD_ANSWER', `HTTP ${response.status} without data`);
  return answer.data;
}
