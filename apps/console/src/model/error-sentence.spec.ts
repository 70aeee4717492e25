import { ApiErrorCode } from '@cairn/api-policy';
import { API_ERROR_CODES, ConsoleError, sentenceFor } from './error-sentence';

it('knows every code the API answers with, and no other', () => {
  expect([...API_ERROR_CODES].sort()).toEqual(Object.values(ApiErrorCode).sort());
});

it('gives each code a sentence that ends as one', () => {
  for (const code of [...API_ERROR_CODES, 'NETWORK', 'BAD_ANSWER'] as const) {
    expect(sentenceFor(code)).toMatch(/^[A-Z].+\.$/);
  }
});

it("shows the sentence, the API's words and the code together", () => {
  const error = new ConsoleError('FORBIDDEN', 'your role may not read AuditEvent.original');
  expect(error.message).toBe(
    'Your role may not see this. (FORBIDDEN: your role may not read AuditEvent.original)',
  );
});
