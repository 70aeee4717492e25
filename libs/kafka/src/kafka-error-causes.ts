/** The error and what it wraps (kafkajs keeps the original as `cause` or `originalError`). */
export function kafkaCauses(error: unknown): unknown[] {
  const found: unknown[] = [];
  let current: unknown = error;
  for (let depth = 0; current && depth < 6; depth += 1) {
    found.push(current);
    const next = current as { cause?: unknown; originalError?: unknown };
    current = next.cause ?? next.originalError;
  }
  return found;
}

/** The kafkajs error type (MESSAGE_TOO_LARGE, …) of an error or of the first error it wraps that has one. */
export function kafkaErrorType(error: unknown): string | undefined {
  for (const cause of kafkaCauses(error)) {
    const type = (cause as { type?: unknown }).type;
    if (typeof type === 'string') return type;
  }
  return undefined;
}
