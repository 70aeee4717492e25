import type { Json } from '../common/fields';

// `ctr events` prints: <Go time: 2006-01-02 15:04:05.999999999 -0700 MST> <namespace> <topic> <json>
const LINE =
  /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))? ([+-]\d{2})(\d{2}) \S+ (\S+) (\/\S+) (\{.*\})\s*$/s;

/**
 * One text line of `ctr events` to the JSON envelope shippers emit ({timestamp, namespace,
 * topic, event}), or undefined when the text is not such a line.
 */
export function parseCtrEventLine(text: string): Json | undefined {
  const match = LINE.exec(text.trim());
  if (!match) return undefined;
  const [, date, time, fraction = '0', offsetHours, offsetMinutes, namespace, topic, body] = match;
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return undefined;
  }
  const timestamp = `${date}T${time}.${fraction.padEnd(9, '0')}${offsetHours}:${offsetMinutes}`;
  return { timestamp, namespace, topic, event };
}
