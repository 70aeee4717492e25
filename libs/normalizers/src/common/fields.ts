import { CairnEventError, EventErrorCode } from '@cairn/event-schema';

/** Ends in Z, a numeric offset, or GMT/UTC (RFC 2822 style). */
const EXPLICIT_ZONE = /(?:Z|[+-]\d{2}:?\d{2}|\b(?:GMT|UTC))\s*$/i;

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Typed readers for a source's fields: absent is undefined, a present value of the wrong type is an error. */
export class SourceFields {
  constructor(private readonly source: string) {}

  invalid(message: string): CairnEventError {
    return new CairnEventError(EventErrorCode.InvalidSourceEvent, `${this.source}: ${message}`);
  }

  string(object: Json, key: string, path = key): string | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw this.invalid(`${path} must be a string`);
    return value;
  }

  requiredString(object: Json, key: string, path = key): string {
    const value = this.string(object, key, path);
    if (value === undefined || value === '') throw this.invalid(`${path} is missing`);
    return value;
  }

  number(object: Json, key: string, path = key): number | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
    throw this.invalid(`${path} must be a number`);
  }

  object(object: Json, key: string, path = key): Json | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    if (!isRecord(value)) throw this.invalid(`${path} must be an object`);
    return value;
  }

  strings(object: Json, key: string, path = key): string[] | undefined {
    const value = object[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value) || value.some((item) => typeof item !== 'string')) {
      throw this.invalid(`${path} must be a list of strings`);
    }
    return value as string[];
  }

  /** RFC 3339 or any date Date.parse accepts, to ISO 8601 with milliseconds. */
  timestamp(value: string | undefined, path: string): string | undefined {
    if (value === undefined) return undefined;
    const utc = zuluToIso(value);
    if (utc !== undefined) return utc;
    // Beyond RFC 3339, only text that names its zone: Date.parse reads a zone-less "7" or
    // "2026-03-14 21:06" in the ingest host's own time zone, so the stored time would depend on it.
    const millis = rfc3339Millis(value) ?? (EXPLICIT_ZONE.test(value) ? Date.parse(value) : NaN);
    if (Number.isNaN(millis)) throw this.invalid(`${path} is not a timestamp`);
    return new Date(millis).toISOString();
  }

  /** Seconds (or, above 10^12, milliseconds) since the epoch, to ISO 8601 with milliseconds. */
  epoch(value: number | undefined, path: string): string | undefined {
    if (value === undefined) return undefined;
    const millis = value > 1e12 ? value : value * 1000;
    if (!Number.isFinite(millis) || millis < 0 || millis > 8.64e15)
      throw this.invalid(`${path} is out of range`);
    return new Date(Math.trunc(millis)).toISOString();
  }

  /** Nanoseconds since the epoch (number or decimal string) to ISO 8601 with milliseconds. */
  nanos(value: unknown, path: string): string | undefined {
    if (value === undefined || value === null) return undefined;
    const text = typeof value === 'number' ? BigInt(Math.trunc(value)).toString() : value;
    if (typeof text !== 'string' || !/^\d{1,25}$/.test(text))
      throw this.invalid(`${path} must be nanoseconds since the epoch`);
    const millis = Number(BigInt(text) / 1_000_000n);
    if (!Number.isSafeInteger(millis) || millis > 8.64e15) throw this.invalid(`${path} is out of range`);
    return new Date(millis).toISOString();
  }
}

const SHORT_ID = 12;

/** container.id and container.short_id, so a query by either form finds the event. */
export function containerIds(id: string | undefined): { id?: string; short_id?: string } {
  if (!id) return {};
  const clean = id.replace(/^(docker|containerd|cri-o):\/\//, '');
  return { id: clean, short_id: /^[0-9a-f]{12,}$/.test(clean) ? clean.slice(0, SHORT_ID) : undefined };
}

const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(?:([Zz])|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Milliseconds of an RFC 3339 timestamp with an offset, read field by field so that impossible
 * dates are refused: Date.parse quietly turns 2026-02-30 into 2 March. (UTC "Z" timestamps take
 * the faster zuluToIso path first.)
 */
export function rfc3339Millis(value: string): number | undefined {
  const m = RFC3339.exec(value);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, fraction, zulu, sign, oh, om] = m;
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > 31 || Number(h) > 23 || Number(mi) > 59 || Number(s) > 60) {
    return NaN;
  }
  const ms = fraction ? Number(fraction.slice(0, 3).padEnd(3, '0')) : 0;
  // A leap second (:60) is checked as :59 and counted one second on, so 23:59:60 on the last day
  // of a month is the first instant of the next, not a date that does not exist.
  const leap = Number(s) === 60 ? 1000 : 0;
  const utc = Date.UTC(Number(y), month - 1, day, Number(h), Number(mi), Number(s) - leap / 1000, ms);
  if (new Date(utc).getUTCDate() !== day) return NaN;
  const offset = zulu ? 0 : (sign === '-' ? -1 : 1) * (Number(oh) * 60 + Number(om)) * 60_000;
  return utc + leap - offset;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
const ZULU = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z$/;

/**
 * The common case, a UTC timestamp ending in Z, rewritten to ISO 8601 with milliseconds as text,
 * without building a Date: two of these per audit event were a fifth of normalizing.
 * Undefined for anything else, which then takes the general path.
 */
export function zuluToIso(value: string): string | undefined {
  const m = ZULU.exec(value);
  if (!m) return undefined;
  const year = +m[1];
  const month = +m[2];
  const day = +m[3];
  if (month < 1 || month > 12 || +m[4] > 23 || +m[5] > 59 || +m[6] > 59) return undefined;
  const leap = month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  if (day < 1 || day > DAYS_IN_MONTH[month - 1] + (leap ? 1 : 0)) return undefined;
  const fraction = m[7] === undefined ? '000' : m[7].length >= 3 ? m[7].slice(0, 3) : m[7].padEnd(3, '0');
  return `${value.slice(0, 19)}.${fraction}Z`;
}
