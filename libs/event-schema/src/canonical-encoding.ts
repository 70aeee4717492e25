/**
 * Fields a canonical encoding leaves out, two levels deep: `''` lists top-level keys, any other
 * entry the keys left out under that top-level object (`cairn: {'compliance'}` → cairn.compliance).
 */
export type LeftOutFields = Readonly<Record<string, ReadonlySet<string>>>;

/**
 * An injective encoding that needs no escaping: strings and keys are length-prefixed (UTF-16 code
 * units), numbers in JavaScript's shortest round-trip form, every other value self-delimiting,
 * object keys sorted so the order they were written in does not count. An undefined member is
 * absent and an undefined array element is null, as they are once the document is JSON, so a
 * document read back from Elasticsearch encodes as it did before it was sent.
 */
function encode(
  value: unknown,
  out: string[],
  leftOut: LeftOutFields,
  level: ReadonlySet<string> | undefined,
  top: boolean,
): void {
  switch (typeof value) {
    case 'string':
      out.push(`s${value.length}:`, value);
      return;
    case 'number':
      out.push(`n${value};`);
      return;
    case 'boolean':
      out.push(value ? 't' : 'f');
      return;
    case 'undefined':
      out.push('z');
      return;
    case 'object': {
      if (value === null) {
        out.push('z');
        return;
      }
      if (Array.isArray(value)) {
        out.push(`[${value.length}:`);
        for (const element of value) encode(element, out, leftOut, undefined, false);
        return;
      }
      out.push('{');
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record).sort()) {
        const member = record[key];
        if (member === undefined || level?.has(key)) continue;
        out.push(`${key.length}:`, key);
        encode(member, out, leftOut, top ? leftOut[key] : undefined, false);
      }
      out.push('}');
      return;
    }
    default:
      out.push('u');
  }
}

/** The canonical encoding of a document, without the fields `leftOut` names. */
export function canonicalEncoding(document: object, leftOut: LeftOutFields = {}): string {
  const out: string[] = [];
  encode(document, out, leftOut, leftOut[''], true);
  return out.join('');
}
