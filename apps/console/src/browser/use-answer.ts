import { useEffect, useState } from 'preact/hooks';
import { ConsoleError } from '../model/error-sentence';

export type AnswerState<T> =
  | { readonly state: 'idle' }
  | { readonly state: 'loading' }
  | { readonly state: 'done'; readonly data: T }
  | { readonly state: 'failed'; readonly error: ConsoleError };

/**
 * Runs `load` whenever `key` changes (nothing while it is undefined), keeping only the answer to
 * the latest key: a slow answer to an older question never overwrites a newer one.
 */
export function useAnswer<T>(key: string | undefined, load: () => Promise<T>): AnswerState<T> {
  const [answer, setAnswer] = useState<AnswerState<T>>({ state: 'idle' });
  useEffect(() => {
    if (key === undefined) {
      setAnswer({ state: 'idle' });
      return;
    }
    let current = true;
    setAnswer({ state: 'loading' });
    load().then(
      (data) => current && setAnswer({ state: 'done', data }),
      (error: unknown) =>
        current &&
        setAnswer({
          state: 'failed',
          error: error instanceof ConsoleError ? error : new ConsoleError('BAD_ANSWER', String(error)),
        }),
    );
    return () => {
      current = false;
    };
    // `load` is rebuilt on every render; the key is what says the question changed.
  }, [key]);
  return answer;
}
