import { CairnEventError } from '@cairn/event-schema';
import { DEFAULT_NORMALIZE_OPTIONS, normalizeRawEvent } from './normalize-raw-event';

const receivedAt = new Date('2026-05-01T12:00:00.000Z');
const audit = (stageTimestamp: string, auditID = 'a-1') =>
  Buffer.from(
    JSON.stringify({
      kind: 'Event',
      apiVersion: 'audit.k8s.io/v1',
      auditID,
      stage: 'ResponseComplete',
      verb: 'get',
      objectRef: { resource: 'pods', namespace: 'default', name: 'web' },
      responseStatus: { code: 200 },
      stageTimestamp,
    }),
  );
const list = (count: number) =>
  Buffer.from(
    JSON.stringify({
      kind: 'EventList',
      apiVersion: 'audit.k8s.io/v1',
      items: Array.from(
        { length: count },
        (_, index) => JSON.parse(audit('2026-05-01T11:00:00Z', `a-${index}`).toString()) as object,
      ),
    }),
  );
const failure = (run: () => unknown) => {
  try {
    run();
    return 'accepted';
  } catch (error) {
    return error instanceof CairnEventError ? `${error.code}: ${error.message}` : String(error);
  }
};

describe('normalizeRawEvent', () => {
  it('detects the source, or takes the one a topic is bound to and refuses other sources there', () => {
    expect(normalizeRawEvent({ bytes: audit('2026-05-01T11:00:00Z'), receivedAt })[0].cairn.product).toBe(
      'kubernetes',
    );
    expect(
      normalizeRawEvent({ bytes: audit('2026-05-01T11:00:00Z'), receivedAt, product: 'kubernetes' }),
    ).toHaveLength(1);
    expect(
      failure(() =>
        normalizeRawEvent({ bytes: audit('2026-05-01T11:00:00Z'), receivedAt, product: 'docker' }),
      ),
    ).toBe('UNRECOGNIZED_SOURCE: input is not a docker event');
    expect(failure(() => normalizeRawEvent({ bytes: Buffer.from('{"some":"thing"}'), receivedAt }))).toBe(
      'UNRECOGNIZED_SOURCE: input is not any known source format',
    );
  });

  it('accepts exactly CAIRN_MAX_EVENTS_PER_MESSAGE events from one message, and refuses one more', () => {
    const options = { ...DEFAULT_NORMALIZE_OPTIONS, maxEventsPerMessage: 3 };
    expect(normalizeRawEvent({ bytes: list(3), receivedAt }, options)).toHaveLength(3);
    expect(failure(() => normalizeRawEvent({ bytes: list(4), receivedAt }, options))).toBe(
      'TOO_MANY_EVENTS: one message holds 4 events; at most 3 are accepted (CAIRN_MAX_EVENTS_PER_MESSAGE): split the batch at the sender',
    );
  });

  it('accepts a timestamp exactly at the future-skew and age bounds, and refuses one millisecond beyond', () => {
    const options = { ...DEFAULT_NORMALIZE_OPTIONS, maxFutureSkewMs: 60_000, maxEventAgeMs: 2 * 86_400_000 };
    const at = (iso: string) => () => normalizeRawEvent({ bytes: audit(iso), receivedAt }, options);
    expect(failure(at('2026-05-01T12:01:00.000Z'))).toBe('accepted');
    expect(failure(at('2026-05-01T12:01:00.001Z'))).toBe(
      'TIMESTAMP_IN_FUTURE: @timestamp 2026-05-01T12:01:00.001Z is more than 60s ahead of the ingest clock',
    );
    expect(failure(at('2026-04-29T12:00:00.000Z'))).toBe('accepted');
    expect(failure(at('2026-04-29T11:59:59.999Z'))).toBe(
      'TIMESTAMP_TOO_OLD: @timestamp 2026-04-29T11:59:59.999Z is more than 2 days before the ingest clock ' +
        '(CAIRN_MAX_EVENT_AGE_DAYS); see the README on backfilling older history',
    );
    expect(failure(() => normalizeRawEvent({ bytes: audit('1990-01-01T00:00:00Z'), receivedAt }))).toBe(
      'accepted',
    );
  });

  it('reads ctr events text lines as containerd events', () => {
    const line = `2026-05-01 11:00:00.5 +0000 UTC k8s.io /tasks/start {"container_id":"${'a'.repeat(64)}"}`;
    const [document] = normalizeRawEvent({ bytes: Buffer.from(line), receivedAt });
    expect(document.cairn.product).toBe('containerd');
    expect(document['@timestamp']).toBe('2026-05-01T11:00:00.500Z');
  });

  it('cuts a keyword value over the indexed length, however the message is spelled', () => {
    const long = 'x'.repeat(5000);
    const bytes = Buffer.from(
      audit('2026-05-01T11:00:00Z').toString().replace('"name":"web"', `"name":"${long}"`),
    );
    const [document] = normalizeRawEvent({ bytes, receivedAt });
    expect(document.orchestrator?.resource?.name?.length).toBeLessThan(5000);
    expect(document.cairn.truncated?.fields).toContain('orchestrator.resource.name');
  });
});
