import { contentFingerprint, type AuditEventDocument } from '@cairn/event-schema';
import { SENDER_HEADERS, senderBindingStep } from './sender-binding.step';

const at = { topic: 'cairn.raw.orchestrator', partition: 0, offset: '7', index: 0 };

const claimed: AuditEventDocument = {
  '@timestamp': '2026-05-01T10:00:00.000Z',
  event: { id: 'b'.repeat(64), kind: 'event', action: 'pods.delete', outcome: 'success', ingested: '' },
  orchestrator: { type: 'kubernetes', cluster: { name: 'someone-elses-cluster' }, namespace: 'payments' },
  registry: { name: 'claimed.example.com', repository: 'team/app' },
  cairn: { source_kind: 'ORCHESTRATOR', product: 'kubernetes', schema_version: '1' },
};

function messageWith(headers: Record<string, string | Buffer> | undefined) {
  return { key: null, value: Buffer.from('{}'), offset: '7', headers };
}

describe('senderBindingStep', () => {
  const step = senderBindingStep();

  it("writes the credential's cluster over the payload's claim and records the sender", () => {
    const bound = step.apply(
      claimed,
      at,
      messageWith({
        [SENDER_HEADERS.sender]: Buffer.from('prod-eu-apiserver'),
        [SENDER_HEADERS.cluster]: Buffer.from('prod-eu'),
      }),
    );
    expect(bound.orchestrator).toEqual({
      type: 'kubernetes',
      cluster: { name: 'prod-eu' },
      namespace: 'payments',
    });
    expect(bound.registry?.name).toBe('claimed.example.com');
    expect(bound.cairn.intake).toEqual({ sender: 'prod-eu-apiserver' });
    expect(claimed.orchestrator?.cluster?.name).toBe('someone-elses-cluster');
  });

  it("writes a registry credential's name into registry.name", () => {
    const bound = step.apply(
      claimed,
      at,
      messageWith({
        [SENDER_HEADERS.sender]: 'harbor-prod',
        [SENDER_HEADERS.registry]: 'harbor.example.com',
      }),
    );
    expect(bound.registry).toEqual({ name: 'harbor.example.com', repository: 'team/app' });
    expect(bound.orchestrator?.cluster?.name).toBe('someone-elses-cluster');
  });

  it('leaves events read from Kafka without intake headers as they are', () => {
    expect(step.apply(claimed, at, messageWith(undefined))).toBe(claimed);
    expect(step.apply(claimed, at, messageWith({ [SENDER_HEADERS.cluster]: 'prod-eu' }))).toBe(claimed);
  });

  it('changes the content fingerprint, so a replay by another sender is a conflict, not a duplicate', () => {
    const one = step.apply(
      claimed,
      at,
      messageWith({ [SENDER_HEADERS.sender]: 'a', [SENDER_HEADERS.cluster]: 'x' }),
    );
    const other = step.apply(
      claimed,
      at,
      messageWith({ [SENDER_HEADERS.sender]: 'a', [SENDER_HEADERS.cluster]: 'y' }),
    );
    expect(contentFingerprint(one)).not.toBe(contentFingerprint(other));
  });
});
