import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpaDecisionNormalizer } from './opa.normalizer';

const normalizer = new OpaDecisionNormalizer();
const context = { receivedAt: new Date('2026-11-02T03:04:05.678Z'), rawText: '{}' };
const base = JSON.parse(
  readFileSync(join(__dirname, 'fixtures', 'http-authz-denied.json'), 'utf8'),
) as Record<string, unknown>;
const decide = (result: unknown) => normalizer.normalize({ ...base, result }, context)[0].event;

describe('OPA decisions', () => {
  it.each([
    [true, 'success', 'allowed', undefined],
    [false, 'failure', 'denied', undefined],
    [[], 'success', 'allowed', undefined],
    [['no latest tags', 'no root'], 'failure', 'denied', 'no latest tags; no root'],
    [{ allowed: false, reason: 'outside business hours' }, 'failure', 'denied', 'outside business hours'],
    [{ response: { allowed: true } }, 'success', 'allowed', undefined],
    [{ response: { allowed: false, status: { reason: 'quota' } } }, 'failure', 'denied', 'quota'],
    [{ max_replicas: 3 }, 'unknown', 'info', undefined],
    ['text', 'unknown', 'info', undefined],
    [undefined, 'unknown', 'info', undefined],
  ])('reads the result %j as %s (%s)', (result, outcome, type, reason) => {
    const event = decide(result);
    expect({ outcome: event.outcome, type: event.type, reason: event.reason }).toEqual({
      outcome,
      type: [type],
      reason,
    });
  });

  it('gives a decision its id from decision_id alone', () => {
    const one = normalizer.normalize(base, context)[0].event.id;
    expect(normalizer.normalize({ ...base, result: true }, context)[0].event.id).toBe(one);
    expect(normalizer.normalize({ ...base, decision_id: 'other' }, context)[0].event.id).not.toBe(one);
  });

  it('claims decision logs only', () => {
    expect(normalizer.canHandle(base)).toBe(true);
    expect(normalizer.canHandle({ ...base, path: undefined, query: 'data.x = y' })).toBe(true);
    expect(normalizer.canHandle({ ...base, path: undefined })).toBe(false);
    expect(normalizer.canHandle({ ...base, decision_id: 7 })).toBe(false);
    expect(normalizer.canHandle({ ...base, timestamp: undefined })).toBe(false);
    expect(normalizer.canHandle([base])).toBe(false);
  });
});
