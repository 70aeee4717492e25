import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CairnEventError, EventErrorCode } from '@cairn/event-schema';
import { normalizeRawEvent } from '../normalize-raw-event';

const receivedAt = new Date('2026-11-02T03:04:05.678Z');
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, 'fixtures', `${name}.json`), 'utf8')) as Record<string, any>;
const normalize = (value: unknown) =>
  normalizeRawEvent({ bytes: Buffer.from(JSON.stringify(value)), receivedAt });
const refusal = (value: unknown) => {
  try {
    normalize(value);
  } catch (error) {
    if (error instanceof CairnEventError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error('accepted');
};

describe('managed Kubernetes audit logs', () => {
  it('gives an EKS or AKS event the id the API server event has without the envelope', () => {
    const eks = fixture('eks-cloudwatch-subscription');
    const inner = JSON.parse(eks.logEvents[0].message);
    const [wrapped] = normalize(eks);
    const [bare] = normalize(inner);
    expect(wrapped.event.id).toBe(bare.event.id);
    expect(wrapped.event.original).toBe(bare.event.original);
    expect(wrapped.orchestrator?.cluster?.name).toBe('prod-eu-1');
    expect(bare.orchestrator?.cluster).toBeUndefined();
  });

  it('holds JSON inside an envelope to the rules of a message: no prototype keys, no deep nesting', () => {
    const eks = fixture('eks-cloudwatch-subscription');
    eks.logEvents[0].message = (eks.logEvents[0].message as string).replace(
      '"verb":',
      '"__proto__":{"x":1},"verb":',
    );
    expect(refusal(eks).code).toBe(EventErrorCode.ForbiddenKey);
    const aks = fixture('aks-event-hubs-records');
    aks.records[0].properties.log = `${'['.repeat(80)}${']'.repeat(80)}`;
    expect(refusal(aks)).toEqual({
      code: EventErrorCode.NotAnObject,
      message: 'records[0].properties.log must hold a JSON object',
    });
    aks.records[0].properties.log = `{"kind":"Event","a":${'['.repeat(80)}${']'.repeat(80)}}`;
    expect(refusal(aks).code).toBe(EventErrorCode.NestingTooDeep);
    aks.records[0].properties.log = '{"kind":"Event",';
    expect(refusal(aks).code).toBe(EventErrorCode.MalformedJson);
  });

  it('refuses an envelope whose record is no audit Event, naming where', () => {
    const eks = fixture('eks-cloudwatch-subscription');
    eks.logEvents[1].message = JSON.stringify({ kind: 'Status', apiVersion: 'v1' });
    expect(refusal(eks)).toEqual({
      code: EventErrorCode.InvalidSourceEvent,
      message: 'EKS CloudWatch Logs record: logEvents[1] does not hold a Kubernetes audit Event',
    });
    const aks = fixture('aks-event-hubs-records');
    aks.records[1].resourceId =
      '/SUBSCRIPTIONS/1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM1';
    expect(refusal(aks).message).toBe(
      'AKS diagnostic record: records[1].resourceId does not name a managed cluster',
    );
  });

  it("takes an AKS cluster's name in lower case (Azure upper-cases resource ids; names ignore case)", () => {
    const names = normalize(fixture('aks-event-hubs-records')).map((d) => d.orchestrator?.cluster?.name);
    expect(names).toEqual(['aks-checkout-prod', 'aks-checkout-prod']);
  });

  it('does not claim envelopes of other shapes', () => {
    expect(refusal({ logGroup: '/aws/lambda/f', messageType: 'DATA_MESSAGE', logEvents: [] }).code).toBe(
      EventErrorCode.UnrecognizedSource,
    );
    expect(refusal({ records: [] }).code).toBe(EventErrorCode.UnrecognizedSource);
    const gce = fixture('gke-pod-create');
    gce.resource.type = 'gce_instance';
    expect(refusal(gce).code).toBe(EventErrorCode.UnrecognizedSource);
  });

  it('reads a GKE outcome from the rpc status and the authorization checks', () => {
    const entry = fixture('gke-pod-create');
    expect(normalize(entry)[0].event.outcome).toBe('success');
    delete entry.protoPayload.status;
    delete entry.protoPayload.authorizationInfo;
    expect(normalize(entry)[0].event.outcome).toBe('unknown');
    entry.protoPayload.status = { code: 5, message: 'not found' };
    expect(normalize(entry)[0].event).toMatchObject({ outcome: 'failure', reason: 'not found' });
    entry.protoPayload.status = {};
    entry.protoPayload.authorizationInfo = [{ granted: true }, { granted: false }];
    expect(normalize(entry)[0]).toMatchObject({
      event: { outcome: 'failure' },
      kubernetes: { authorization: { decision: 'forbid' } },
    });
  });

  it('reads GKE resource names: namespaced, cluster-scoped, a namespace itself, a collection, other paths', () => {
    const entry = fixture('gke-pod-create');
    const parts = (resourceName: string) => {
      entry.protoPayload.resourceName = resourceName;
      const [document] = normalize(entry);
      const found = {
        namespace: document.orchestrator?.namespace,
        resource: document.orchestrator?.resource,
        subresource: document.kubernetes?.subresource,
        group: document.kubernetes?.api_group,
        uri: document.kubernetes?.request_uri,
      };
      return Object.fromEntries(Object.entries(found).filter(([, value]) => value !== undefined));
    };
    expect(parts('apps/v1/namespaces/shop/deployments/web/scale')).toEqual({
      namespace: 'shop',
      resource: { type: 'deployments', name: 'web' },
      subresource: 'scale',
      group: 'apps',
    });
    // The core API's group is the empty string, left out as the webhook's events leave it out.
    expect(parts('core/v1/namespaces/shop')).toEqual({ resource: { type: 'namespaces', name: 'shop' } });
    expect(parts('core/v1/namespaces/shop/pods')).toEqual({ namespace: 'shop', resource: { type: 'pods' } });
    expect(parts('/healthz')).toEqual({ uri: '/healthz' });
  });
});
