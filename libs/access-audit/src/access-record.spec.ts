import { createHash } from 'node:crypto';
import { undeclaredFields, validateAuditEvent } from '@cairn/event-schema';
import { accessReceivedRecord, accessRecord } from './access-record';

const base = {
  requestId: '0b7c2d1e-1111-4222-8333-444455556666',
  at: new Date('2026-11-28T20:15:01.234Z'),
  clientAddress: '10.1.2.3',
  userAgent: 'curl/8.5.0',
  query: 'query Who($actor: String) { events(filter: { actor: $actor }) { totalCount } }',
  variables: { actor: 'mallory' },
};

describe('accessRecord', () => {
  it('records an authenticated query: who, role, where from, what, how many; query and variables only as hashes', () => {
    const record = accessRecord({
      ...base,
      principal: { name: 'alice', role: 'investigator' },
      operation: 'Who',
      resultCount: 12,
    });
    expect(record).toMatchObject({
      '@timestamp': '2026-11-28T20:15:01.234Z',
      event: { action: 'cairn.query', outcome: 'success', category: ['database'], type: ['access'] },
      user: { name: 'alice', roles: ['investigator'] },
      source: { ip: ['10.1.2.3'] },
      user_agent: { original: 'curl/8.5.0' },
      http: { request: { id: base.requestId } },
      cairn: {
        source_kind: 'CAIRN',
        product: 'cairn',
        api: {
          operation: 'Who',
          result_count: 12,
          query_sha256: createHash('sha256').update(base.query).digest('hex'),
          variables_sha256: createHash('sha256').update('{"actor":"mallory"}').digest('hex'),
        },
      },
    });
    expect(JSON.stringify(record)).not.toContain('mallory');
    expect(undeclaredFields(record)).toEqual([]);
    expect(() => validateAuditEvent(record)).not.toThrow();
  });

  it('records a request without a valid token as an authentication failure, with no identity', () => {
    const record = accessRecord({ ...base, resultCount: 0 });
    expect(record.event).toMatchObject({
      action: 'cairn.auth_failure',
      outcome: 'failure',
      category: ['authentication'],
    });
    expect(record.user).toBeUndefined();
    expect(record.cairn.api?.error_code).toBe('UNAUTHENTICATED');
  });

  it('marks an authenticated request that failed, with its error code', () => {
    const record = accessRecord({
      ...base,
      principal: { name: 'bob', role: 'auditor' },
      resultCount: 0,
      errorCode: 'FORBIDDEN',
    });
    expect(record.event).toMatchObject({ action: 'cairn.query', outcome: 'failure' });
    expect(record.cairn.api?.error_code).toBe('FORBIDDEN');
  });

  it('derives the id from the request id alone, so a retried write stores the record once', () => {
    const one = accessRecord({ ...base, resultCount: 1 });
    const again = accessRecord({ ...base, at: new Date('2026-11-28T20:15:02Z'), resultCount: 1 });
    const other = accessRecord({ ...base, requestId: 'another', resultCount: 1 });
    expect(again.event.id).toBe(one.event.id);
    expect(other.event.id).not.toBe(one.event.id);
  });

  it('keeps a client address only when it is an IP address', () => {
    expect(accessRecord({ ...base, clientAddress: 'not-an-ip', resultCount: 0 }).source).toBeUndefined();
  });

  it('records an authorized request as received: what was asked, by whom, outcome unknown, its own id', () => {
    const received = accessReceivedRecord({
      ...base,
      principal: { name: 'alice', role: 'investigator' },
      route: 'graphql',
      operation: 'Who',
    });
    const outcome = accessRecord({
      ...base,
      principal: { name: 'alice', role: 'investigator' },
      resultCount: 3,
    });
    expect(received).toMatchObject({
      event: { action: 'cairn.query_received', outcome: 'unknown', type: ['access', 'start'] },
      user: { name: 'alice', roles: ['investigator'] },
      http: { request: { id: base.requestId } },
      cairn: { api: { route: 'graphql', operation: 'Who', query_sha256: outcome.cairn.api!.query_sha256 } },
    });
    expect(received.cairn.api).not.toHaveProperty('result_count');
    expect(received.event.id).not.toBe(outcome.event.id);
    expect(JSON.stringify(received)).not.toContain('mallory');
    expect(undeclaredFields(received)).toEqual([]);
  });
});
