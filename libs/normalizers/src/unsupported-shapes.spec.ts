import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CairnEventError, EventErrorCode } from '@cairn/event-schema';
import { normalizeRawEvent } from './normalize-raw-event';
import { unsupportedShape } from './unsupported-shapes';

const harbor = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, 'harbor', 'fixtures', `${name}.json`), 'utf8')) as Record<
    string,
    unknown
  >;
const codeOf = (value: unknown) => {
  try {
    normalizeRawEvent({
      bytes: Buffer.from(JSON.stringify(value)),
      receivedAt: new Date('2026-11-02T00:00:00Z'),
    });
    return 'stored';
  } catch (error) {
    return (error as CairnEventError).code;
  }
};

describe('shapes of known sources Cairn does not read', () => {
  it.each([
    'invalid-unsupported-harbor-1x-push-image',
    'invalid-unsupported-harbor-1x-notification',
    'invalid-unsupported-chart-upload',
  ])('%s is refused as unsupported, saying what it is', (name) => {
    expect(codeOf(harbor(name))).toBe(EventErrorCode.UnsupportedSourceVersion);
    expect(unsupportedShape(harbor(name))).toMatch(/Harbor/);
  });

  it('leaves alone what only looks like them: Harbor 2.x, a Distribution envelope, anything else', () => {
    expect(codeOf(harbor('default-push-artifact'))).toBe('stored');
    expect(
      unsupportedShape({ ...harbor('invalid-unsupported-harbor-1x-push-image'), occur_at: undefined }),
    ).toBeUndefined();
    expect(unsupportedShape({ type: 'UPLOAD_CHART' })).toBeUndefined();
    expect(unsupportedShape({ events: [] })).toBeUndefined();
    expect(unsupportedShape({ event_type: 'pushImage', events: 'x' })).toBeUndefined();
    expect(unsupportedShape([])).toBeUndefined();
    expect(codeOf({ anything: true })).toBe(EventErrorCode.UnrecognizedSource);
  });
});
