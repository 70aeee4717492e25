import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CairnEventError, contentFingerprint, EventErrorCode, KEYWORD_MAX_LENGTH } from '@cairn/event-schema';
import { DEFAULT_NORMALIZE_OPTIONS, normalizeRawEvent } from './normalize-raw-event';

const fixture = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, 'kubernetes-audit/fixtures', name), 'utf8')) as Record<
    string,
    unknown
  >;
const exec = fixture('v1-pods-exec.json');
const receivedAt = new Date(String(exec.stageTimestamp));
const bytesOf = (value: unknown) => Buffer.from(JSON.stringify(value));

function codeOf(action: () => unknown): string | undefined {
  try {
    action();
    return undefined;
  } catch (error) {
    return error instanceof CairnEventError ? error.code : 'not a CairnEventError';
  }
}

describe('events a sender shapes to bend the store', () => {
  it('refuses a timestamp older than the bound, and accepts one just inside it', () => {
    const options = { ...DEFAULT_NORMALIZE_OPTIONS, maxEventAgeMs: 10 * 86_400_000 };
    const at = (days: number) => new Date(receivedAt.getTime() - days * 86_400_000).toISOString();
    const old = { ...exec, requestReceivedTimestamp: at(11), stageTimestamp: at(11) };
    const recent = { ...exec, requestReceivedTimestamp: at(9), stageTimestamp: at(9) };
    expect(codeOf(() => normalizeRawEvent({ bytes: bytesOf(old), receivedAt }, options))).toBe(
      EventErrorCode.TimestampTooOld,
    );
    expect(normalizeRawEvent({ bytes: bytesOf(recent), receivedAt }, options)).toHaveLength(1);
  });

  it('refuses one message that would fan out into more documents than allowed', () => {
    const list = (n: number) => ({
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1',
      items: Array.from({ length: n }, (_, i) => ({
        ...exec,
        auditID: `0000000${i}-2222-4333-8444-555555555555`,
      })),
    });
    const options = { ...DEFAULT_NORMALIZE_OPTIONS, maxEventsPerMessage: 3 };
    expect(normalizeRawEvent({ bytes: bytesOf(list(3)), receivedAt }, options)).toHaveLength(3);
    expect(codeOf(() => normalizeRawEvent({ bytes: bytesOf(list(4)), receivedAt }, options))).toBe(
      EventErrorCode.TooManyEvents,
    );
  });

  it("cuts a keyword value too long to index, flags it and keeps the whole value's hash", () => {
    const long = 'a'.repeat(KEYWORD_MAX_LENGTH + 10);
    const event = { ...exec, user: { ...(exec.user as object), username: long } };
    const [document] = normalizeRawEvent({ bytes: bytesOf(event), receivedAt });
    expect(document.user?.name).toHaveLength(KEYWORD_MAX_LENGTH);
    expect(document.cairn.truncated).toEqual({
      fields: ['user.name'],
      sha256: [createHash('sha256').update(long).digest('hex')],
    });
    const [plain] = normalizeRawEvent({ bytes: bytesOf(exec), receivedAt });
    expect(plain.cairn.truncated).toBeUndefined();
  });

  it('fingerprints content: a shifted timestamp or respaced bytes keep it, other content changes it', () => {
    const [stored] = normalizeRawEvent({ bytes: bytesOf(exec), receivedAt });
    const shifted = {
      ...exec,
      stageTimestamp: '2026-01-01T00:00:00.000000Z',
      requestReceivedTimestamp: '2026-01-01T00:00:00.000000Z',
    };
    const [replay] = normalizeRawEvent({
      bytes: Buffer.from(JSON.stringify(shifted, null, 2)),
      receivedAt: new Date(),
    });
    expect(replay.event.id).toBe(stored.event.id);
    expect(contentFingerprint(replay)).toBe(contentFingerprint(stored));
    const forged = { ...exec, user: { username: 'someone-else' } };
    const [claim] = normalizeRawEvent({ bytes: bytesOf(forged), receivedAt });
    expect(claim.event.id).toBe(stored.event.id);
    expect(contentFingerprint(claim)).not.toBe(contentFingerprint(stored));
  });
});
