import { CairnEventError } from '@cairn/event-schema';
import { HarborNormalizer } from './harbor.normalizer';

const normalizer = new HarborNormalizer();
const context = { receivedAt: new Date('2026-11-02T03:04:05.678Z'), rawText: '{}' };
const DIGEST = `sha256:${'f'.repeat(64)}`;
const data = {
  resources: [{ digest: DIGEST, tag: '2.1', resource_url: `harbor.example.com/payments/checkout:2.1` }],
  repository: { name: 'checkout', namespace: 'payments', repo_full_name: 'payments/checkout' },
};
const plain = (type: string, event_data: object = data) => ({
  type,
  occur_at: 1773522390,
  operator: 'alice',
  event_data,
});
const cloud = (type: string) => ({
  specversion: '1.0',
  id: 'ce-1',
  type,
  time: '2026-03-14T21:06:30Z',
  operator: 'alice',
  data,
});
const one = (raw: unknown) => normalizer.normalize(raw, context)[0];
const refusal = (raw: unknown) => {
  try {
    normalizer.normalize(raw, context);
    return 'accepted';
  } catch (error) {
    return error instanceof CairnEventError ? error.message : String(error);
  }
};

describe('Harbor event types in the action vocabulary', () => {
  it.each([
    ['PUSH_ARTIFACT', 'harbor.artifact.pushed', 'image.push', 'push', 'creation', 'success', 'package'],
    ['PULL_ARTIFACT', 'harbor.artifact.pulled', 'image.pull', 'pull', 'access', 'success', 'package'],
    [
      'DELETE_ARTIFACT',
      'harbor.artifact.deleted',
      'image.delete',
      'delete',
      'deletion',
      'success',
      'package',
    ],
    [
      'DELETE_REPOSITORY',
      'harbor.repository.deleted',
      'repository.delete',
      'delete',
      'deletion',
      'success',
      'package',
    ],
    ['CREATE_TAG', 'harbor.tag.created', 'tag.create', 'tag', 'creation', 'success', 'package'],
    ['DELETE_TAG', 'harbor.tag.deleted', 'tag.delete', 'untag', 'deletion', 'success', 'package'],
    [
      'SCANNING_COMPLETED',
      'harbor.scan.completed',
      'artifact.scan',
      'scan',
      'info',
      'success',
      'vulnerability',
    ],
    ['SCANNING_FAILED', 'harbor.scan.failed', 'artifact.scan', 'scan', 'info', 'failure', 'vulnerability'],
    ['SCANNING_STOPPED', 'harbor.scan.stopped', 'artifact.scan', 'scan', 'info', 'unknown', 'vulnerability'],
    ['QUOTA_WARNING', 'harbor.quota.warned', 'quota.warning', 'quota', 'info', 'success', 'package'],
    ['QUOTA_EXCEED', 'harbor.quota.exceeded', 'quota.exceed', 'quota', 'denied', 'failure', 'package'],
    [
      'REPLICATION',
      'harbor.replication.status.changed',
      'replication.run',
      'replicate',
      'change',
      'success',
      'package',
    ],
    [
      'TAG_RETENTION',
      'harbor.tag_retention.finished',
      'tag_retention.run',
      'retention',
      'deletion',
      'success',
      'package',
    ],
  ])('%s and %s are %s', (type, cloudType, action, registryAction, eventType, outcome, category) => {
    for (const raw of [plain(type), cloud(cloudType)]) {
      const document = one(raw);
      expect(document.event).toMatchObject({ action, type: [eventType], outcome, category: [category] });
      expect(document.registry).toMatchObject({
        action: registryAction,
        repository: 'payments/checkout',
        project: 'payments',
      });
      expect(document.user).toEqual({ name: 'alice' });
    }
  });

  it('takes the old spelling of the quota type too', () => {
    expect(one(cloud('harbor.quota.exceed')).event.action).toBe('quota.exceed');
  });

  it('names the image by host, repository, tag and digest, and says so in the message', () => {
    const document = one(plain('PUSH_ARTIFACT'));
    expect(document.container?.image).toEqual({
      name: 'harbor.example.com/payments/checkout',
      tag: '2.1',
      hash: { all: [DIGEST] },
    });
    expect(document.message).toBe(`alice image.push payments/checkout:2.1@${DIGEST}`);
    expect(document['@timestamp']).toBe('2026-03-14T21:06:30.000Z');
  });

  it('drops a tag that is the digest again (a pull by digest)', () => {
    const byDigest = {
      ...data,
      resources: [
        { digest: DIGEST, tag: DIGEST, resource_url: `harbor.example.com/payments/checkout@${DIGEST}` },
      ],
    };
    expect(one(plain('PULL_ARTIFACT', byDigest)).registry?.tag).toBeUndefined();
  });

  it('makes one event per resource, each with its own id, and one for a notification without resources', () => {
    const two = { ...data, resources: [data.resources[0], { ...data.resources[0], tag: '2.2' }] };
    const documents = normalizer.normalize(plain('PUSH_ARTIFACT', two), context);
    expect(documents.map((document) => document.registry?.tag)).toEqual(['2.1', '2.2']);
    expect(new Set(documents.map((document) => document.event.id)).size).toBe(2);
    expect(
      normalizer.normalize(plain('DELETE_REPOSITORY', { repository: data.repository }), context),
    ).toHaveLength(1);
    expect(one(plain('DELETE_REPOSITORY', { repository: data.repository })).message).toBe(
      'alice repository.delete payments/checkout',
    );
  });

  it.each([
    ['Success', 'success'],
    ['Succeed', 'success'],
    ['finished', 'success'],
    ['Failed', 'failure'],
    ['Error', 'failure'],
    ['Running', 'unknown'],
  ])('reads a replication job status %s as %s', (status, outcome) => {
    const replication = {
      ...data,
      replication: { job_status: status, harbor_hostname: 'harbor.example.com' },
    };
    const document = one(plain('REPLICATION', replication));
    expect(document.event.outcome).toBe(outcome);
    expect(document.event.reason).toBe(status);
  });

  it('reads milliseconds in occur_at too', () => {
    expect(one({ ...plain('PULL_ARTIFACT'), occur_at: 1773522390123 })['@timestamp']).toBe(
      '2026-03-14T21:06:30.123Z',
    );
  });

  it.each([
    [
      { ...cloud('harbor.robot.created') },
      'harbor webhook: CloudEvents type "harbor.robot.created" is not a Harbor event type',
    ],
    [{ ...cloud('harbor.artifact.pushed'), id: undefined }, 'harbor webhook: id is missing'],
    [{ ...cloud('harbor.artifact.pushed'), time: undefined }, 'harbor webhook: time is missing'],
    [{ ...plain('PUSH_ARTIFACT'), occur_at: undefined }, 'harbor webhook: occur_at is missing'],
    [{ ...plain('PUSH_ARTIFACT'), operator: 7 }, 'harbor webhook: operator must be a string'],
    [plain('PUSH_ARTIFACT', { repository: 'x' }), 'harbor webhook: event_data.repository must be an object'],
    [
      plain('PUSH_ARTIFACT', { ...data, resources: [{ digest: 1 }] }),
      'harbor webhook: resources[].digest must be a string',
    ],
  ])('refuses %j: %s', (raw, message) => {
    expect(refusal(raw)).toBe(message);
  });

  it('handles the default format only for known types, and CloudEvents only of Harbor', () => {
    expect(normalizer.canHandle(plain('PUSH_ARTIFACT'))).toBe(true);
    expect(normalizer.canHandle(plain('UPLOAD_CHART'))).toBe(false);
    expect(normalizer.canHandle({ type: 'PUSH_ARTIFACT' })).toBe(false);
    expect(normalizer.canHandle(cloud('harbor.artifact.pushed'))).toBe(true);
    expect(normalizer.canHandle({ ...cloud('harbor.artifact.pushed'), type: 'io.other.thing' })).toBe(false);
    expect(normalizer.canHandle({ ...cloud('harbor.artifact.pushed'), specversion: 1 })).toBe(false);
    expect(normalizer.canHandle('PUSH_ARTIFACT')).toBe(false);
  });
});
