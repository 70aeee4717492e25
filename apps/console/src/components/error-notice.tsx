import type { ConsoleError } from '../model/error-sentence';
import { sentenceFor } from '../model/error-sentence';

/** An error as a sentence first, then the API's own words and the code to quote in a ticket. */
export function ErrorNotice({ error }: { error: ConsoleError }) {
  return (
    <p class="error" role="alert">
      {sentenceFor(error.code)} <span class="detail">{error.detail}</span> <code>{error.code}</code>
    </p>
  );
}

export function Problems({ problems }: { problems: readonly string[] }) {
  return (
    <ul class="error" role="alert">
      {problems.map((problem) => (
        <li key={problem}>{problem}</li>
      ))}
    </ul>
  );
}
