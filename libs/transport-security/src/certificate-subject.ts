/**
 * Client certificates are known by their subject, compared as a set of attributes: order, the
 * case of attribute types and spacing around "=" and "," do not matter.
 */

/** A configured subject (`CN=name,O=org`) in its compared form: sorted TYPE=value pairs. */
export function normalSubject(subject: string): string {
  return subject
    .split(',')
    .map((part) => {
      const [type, ...value] = part.split('=');
      return `${type.trim().toUpperCase()}=${value.join('=').trim()}`;
    })
    .sort()
    .join(',');
}

/** A presented certificate's subject (as Node's TLS layer parses it) in the same form; multi-valued kept. */
export function presentedSubject(
  subject: Readonly<Record<string, string | readonly string[] | undefined>> | undefined,
): string {
  return Object.entries(subject ?? {})
    .filter((entry): entry is [string, string | readonly string[]] => entry[1] !== undefined)
    .flatMap(([type, values]) =>
      (Array.isArray(values) ? values : [values]).map((v) => `${type.toUpperCase()}=${String(v).trim()}`),
    )
    .sort()
    .join(',');
}
