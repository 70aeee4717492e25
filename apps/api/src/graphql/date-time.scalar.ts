import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { ApiErrorCode } from '@cairn/api-policy';

// RFC 3339 date-time: a full date, a time, and an offset (Z or ±hh:mm).
const RFC3339 =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(?:[Zz]|([+-])(\d{2}):(\d{2}))$/;

const invalid = (value: unknown) =>
  new GraphQLError(
    `not an RFC 3339 date-time (e.g. 2026-03-14T09:26:53Z or …+01:00): ${JSON.stringify(value)?.slice(0, 60)}`,
    { extensions: { code: ApiErrorCode.BadUserInput } },
  );

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses only what a calendar holds: February 30th, hour 24, minute 60 or an offset of +25:00 are
 * refused as the caller's mistake (BAD_USER_INPUT) instead of becoming an Invalid Date that
 * fails later inside a search.
 */
export function parseDateTime(value: unknown): Date {
  if (typeof value !== 'string') throw invalid(value);
  const match = RFC3339.exec(value);
  if (!match) throw invalid(value);
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number);
  const offsetHours = match[9] === undefined ? 0 : Number(match[9]);
  const offsetMinutes = match[10] === undefined ? 0 : Number(match[10]);
  const valid =
    year >= 1 &&
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59 &&
    offsetHours <= 14 &&
    offsetMinutes <= 59;
  const date = new Date(value);
  if (!valid || Number.isNaN(date.getTime())) throw invalid(value);
  return date;
}

/** `DateTime` (the name the schema always had), strict on input, ISO 8601 UTC on output. */
export const DateTimeScalar = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  description: 'An RFC 3339 date-time, e.g. 2026-03-14T09:26:53.000Z; answers are in UTC.',
  serialize(value) {
    const date = value instanceof Date ? value : new Date(String(value));
    if (Number.isNaN(date.getTime())) throw new GraphQLError('not a date-time');
    return date.toISOString();
  },
  parseValue: parseDateTime,
  parseLiteral(ast) {
    if (ast.kind !== Kind.STRING) throw invalid(ast.kind);
    return parseDateTime(ast.value);
  },
});
