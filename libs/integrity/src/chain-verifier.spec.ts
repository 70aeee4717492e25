import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { canonicalEncoding, remainderEncoding, type AuditEventDocument } from '@cairn/event-schema';
import { GENESIS, nextLink, withLink, type ChainHead } from './chain';
import { keyIdOf, signCheckpoint, type SignedCheckpoint } from './checkpoint';
import { signRetention, type SignedRetentionStatement } from './retention-statement';
import { ChainVerifier, type StoredEvent } from './chain-verifier';
import { eventDigest, OUTSIDE_THE_HASH } from './event-digest';
import { FindingKind, type IntegrityFinding } from './findings';

const CHAIN = 'cairn.raw.orchestrator/0';
const { privateKey, publicKey } = generateKeyPairSync('ed25519');
const key = { id: keyIdOf(publicKey), privateKey };
const trustedKeys = new Map<string, KeyObject>([[key.id, publicKey]]);
const T0 = Date.parse('2026-12-02T10:00:00.000Z');
const MINUTE = 60_000;

function event(offset: number): AuditEventDocument {
  return {
    '@timestamp': new Date(T0 + offset * 1000).toISOString(),
    event: { id: `e${offset}`, ingested: new Date(T0 + offset * 1000).toISOString(), action: 'get' },
    user: { name: `user-${offset}` },
    cairn: {
      source_kind: 'ORCHESTRATOR',
      product: 'kubernetes',
      schema_version: '1',
      position: { topic: 'cairn.raw.orchestrator', partition: 0, offset, item: 0 },
      compliance: { controls: ['PCI_DSS:10.2.1'], version: 'v1' },
    },
  } as unknown as AuditEventDocument;
}

/** A chain of `count` events with a checkpoint every `every` links, one minute apart. */
function chain(count: number, every = 5): { events: StoredEvent[]; checkpoints: SignedCheckpoint[] } {
  const events: StoredEvent[] = [];
  const checkpoints: SignedCheckpoint[] = [];
  let head: ChainHead = GENESIS;
  for (let offset = 0; offset < count; offset += 1) {
    const document = event(offset);
    const link = nextLink(CHAIN, head, document);
    head = { seq: link.seq, hash: link.hash };
    events.push({ id: document.event.id, index: 'cairn-events-2026.12', document: withLink(document, link) });
    if (link.seq % every === 0) {
      const at = new Date(T0 + checkpoints.length * MINUTE + MINUTE);
      checkpoints.push(signCheckpoint(key, CHAIN, head, at, checkpoints.at(-1)?.digest ?? null));
    }
  }
  return { events, checkpoints };
}

function verify(
  events: readonly StoredEvent[],
  checkpoints: readonly SignedCheckpoint[],
  extra: {
    now?: Date;
    anchor?: SignedCheckpoint;
    retention?: SignedRetentionStatement[];
    openEndIsGap?: boolean;
  } = {},
): IntegrityFinding[] {
  const findings: IntegrityFinding[] = [];
  const verifier = new ChainVerifier({
    chain: CHAIN,
    checkpoints,
    trustedKeys,
    maxGapMs: 2 * MINUTE,
    coverToleranceMs: 15 * MINUTE,
    report: (finding) => findings.push(finding),
    ...extra,
  });
  const sorted = [...events].sort(
    (a, b) => a.document.cairn.integrity!.seq - b.document.cairn.integrity!.seq,
  );
  for (const stored of sorted) verifier.add(stored);
  verifier.finish();
  return findings;
}

const edit = (stored: StoredEvent, change: (document: AuditEventDocument) => void): StoredEvent => {
  const document = structuredClone(stored.document);
  change(document);
  return { ...stored, document };
};

describe('chain verification', () => {
  it('finds nothing in an intact chain, and re-tagging (cairn.compliance) changes nothing', () => {
    const { events, checkpoints } = chain(20);
    expect(verify(events, checkpoints)).toEqual([]);
    const retagged = events.map((e) =>
      edit(e, (d) => (d.cairn.compliance = { controls: [], version: 'v2' })),
    );
    expect(verify(retagged, checkpoints)).toEqual([]);
  });

  it('MODIFIED names the one event whose field was changed', () => {
    const { events, checkpoints } = chain(20);
    events[6] = edit(events[6], (d) => (d.user!.name = 'someone-else'));
    const findings = verify(events, checkpoints);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      kind: FindingKind.MODIFIED,
      seqFrom: 7,
      seqTo: 7,
      events: [{ id: 'e6', seq: 7 }],
    });
  });

  it('MODIFIED names the predecessor when an event was changed and re-hashed', () => {
    const { events, checkpoints } = chain(20);
    events[6] = edit(events[6], (d) => {
      d.user!.name = 'someone-else';
      const link = d.cairn.integrity!;
      d.cairn.integrity = nextLink(CHAIN, { seq: link.seq - 1, hash: link.prev }, d);
    });
    expect(verify(events, checkpoints)).toEqual([
      expect.objectContaining({
        kind: FindingKind.MODIFIED,
        events: [expect.objectContaining({ id: 'e6' })],
      }),
    ]);
  });

  it('MISSING gives the position of a deleted event, and of a deleted tail a checkpoint counts', () => {
    const { events, checkpoints } = chain(20);
    const oneGone = events.filter((_, i) => i !== 11);
    expect(verify(oneGone, checkpoints)).toEqual([
      expect.objectContaining({ kind: FindingKind.MISSING, seqFrom: 12, seqTo: 12 }),
    ]);
    const tailGone = events.slice(0, 17);
    expect(verify(tailGone, checkpoints)).toEqual([
      expect.objectContaining({ kind: FindingKind.MISSING, seqFrom: 18, seqTo: 20 }),
    ]);
  });

  it('INSERTED for a second event on a taken position, and for one the newest checkpoint should cover', () => {
    const { events, checkpoints } = chain(20);
    const forged = edit(events[3], (d) => {
      d.event.id = 'forged';
      d.user!.name = 'intruder';
      const link = d.cairn.integrity!;
      d.cairn.integrity = nextLink(CHAIN, { seq: link.seq - 1, hash: link.prev }, d);
    });
    const findings = verify([...events, { ...forged, id: 'forged' }], checkpoints);
    expect(findings).toEqual([
      expect.objectContaining({
        kind: FindingKind.INSERTED,
        seqFrom: 4,
        events: [expect.objectContaining({ id: 'forged' })],
      }),
    ]);
    const last = events[19].document.cairn.integrity!;
    const old = event(100);
    old.event.ingested = new Date(T0 - 60 * MINUTE).toISOString();
    const appended = withLink(old, nextLink(CHAIN, { seq: last.seq, hash: last.hash }, old));
    expect(verify([...events, { id: 'late', index: 'x', document: appended }], checkpoints)).toEqual([
      expect.objectContaining({ kind: FindingKind.INSERTED, seqFrom: 21 }),
    ]);
  });

  it('an event newer than the newest checkpoint is pending, not a finding', () => {
    const { events, checkpoints } = chain(22);
    expect(verify(events, checkpoints)).toEqual([]);
  });

  it('REORDERED when two events swapped positions', () => {
    const { events, checkpoints } = chain(20);
    const a = events[7];
    const b = events[8];
    events[7] = edit(b, (d) => (d.cairn.integrity = { ...d.cairn.integrity!, seq: 8 }));
    events[8] = edit(a, (d) => (d.cairn.integrity = { ...d.cairn.integrity!, seq: 9 }));
    const findings = verify(events, checkpoints);
    expect(findings).toEqual([
      expect.objectContaining({
        kind: FindingKind.REORDERED,
        seqFrom: 8,
        seqTo: 9,
        events: [expect.objectContaining({ id: 'e8' }), expect.objectContaining({ id: 'e7' })],
      }),
    ]);
  });

  it('BAD_SIGNATURE for a checkpoint whose signature or content was replaced, or whose key is unknown', () => {
    const { events, checkpoints } = chain(20);
    const other = generateKeyPairSync('ed25519');
    const resigned = signCheckpoint(
      { id: key.id, privateKey: other.privateKey },
      CHAIN,
      { seq: 10, hash: checkpoints[1].head },
      new Date(checkpoints[1].at),
      checkpoints[0].digest,
    );
    const replaced = [
      checkpoints[0],
      { ...checkpoints[1], signature: resigned.signature },
      ...checkpoints.slice(2),
    ];
    expect(verify(events, replaced)).toEqual([
      expect.objectContaining({ kind: FindingKind.BAD_SIGNATURE, checkpoint: checkpoints[1].digest }),
    ]);
    const moved = [checkpoints[0], { ...checkpoints[1], seq: 9 }, ...checkpoints.slice(2)];
    expect(verify(events, moved).map((f) => f.kind)).toEqual([FindingKind.BAD_SIGNATURE]);
    const unknown = [{ ...checkpoints[0], key: 'ffffffffffffffff' }, ...checkpoints.slice(1)];
    expect(verify(events, unknown)[0].message).toMatch(/not a trusted key/);
  });

  it('CHECKPOINT_GAP for a long stretch without one, a missing one, and a writer stopped now', () => {
    const { events, checkpoints } = chain(20);
    const late = signCheckpoint(
      key,
      CHAIN,
      { seq: 20, hash: checkpoints[3].head },
      new Date(Date.parse(checkpoints[2].at) + 10 * MINUTE),
      checkpoints[2].digest,
    );
    expect(verify(events, [...checkpoints.slice(0, 3), late])).toEqual([
      expect.objectContaining({ kind: FindingKind.CHECKPOINT_GAP, from: checkpoints[2].at, to: late.at }),
    ]);
    expect(verify(events, [checkpoints[0], checkpoints[1], checkpoints[3]]).map((f) => f.kind)).toEqual([
      FindingKind.CHECKPOINT_GAP,
    ]);
    const now = new Date(Date.parse(checkpoints[3].at) + 5 * MINUTE);
    expect(verify(events, checkpoints, { now })).toEqual([
      expect.objectContaining({
        kind: FindingKind.CHECKPOINT_GAP,
        from: checkpoints[3].at,
        to: now.toISOString(),
      }),
    ]);
  });

  it('two checkpoints after the same one (two processes held the partition for a moment) are no gap', () => {
    const { events, checkpoints } = chain(20);
    // Process A signed checkpoints[2] after [1]; process B, taking the partition over, also signed
    // one after [1], a moment later, at the head it had reached; A's next names its own.
    const sibling = signCheckpoint(
      key,
      CHAIN,
      { seq: 10, hash: checkpoints[1].head },
      new Date(Date.parse(checkpoints[2].at) + 1000),
      checkpoints[1].digest,
    );
    const all = [...checkpoints.slice(0, 3), sibling, ...checkpoints.slice(3)];
    expect(verify(events, all)).toEqual([]);
    // A previous that exists nowhere still means a checkpoint is missing.
    expect(verify(events, [...checkpoints.slice(0, 2), ...checkpoints.slice(3)]).map((f) => f.kind)).toEqual([
      FindingKind.CHECKPOINT_GAP,
    ]);
  });

  it('starts from an anchor checkpoint before the window', () => {
    const { events, checkpoints } = chain(20);
    expect(verify(events.slice(10), checkpoints.slice(2), { anchor: checkpoints[1] })).toEqual([]);
    expect(verify(events.slice(11), checkpoints.slice(2), { anchor: checkpoints[1] })).toEqual([
      expect.objectContaining({ kind: FindingKind.MISSING, seqFrom: 11, seqTo: 11 }),
    ]);
  });

  it('a rewritten stretch that is consistent in itself does not lead to the signed head', () => {
    const { events, checkpoints } = chain(20);
    let head: ChainHead = { seq: 10, hash: events[9].document.cairn.integrity!.hash };
    for (let i = 10; i < 15; i += 1) {
      events[i] = edit(events[i], (d) => {
        d.user!.name = 'rewritten';
        d.cairn.integrity = nextLink(CHAIN, head, d);
        head = { seq: d.cairn.integrity.seq, hash: d.cairn.integrity.hash };
      });
    }
    const findings = verify(events, checkpoints);
    expect(findings.map((f) => f.kind)).toContain(FindingKind.MODIFIED);
    expect(findings.some((f) => f.seqFrom! >= 11 && f.seqTo! <= 16)).toBe(true);
  });
});

describe('closed chains', () => {
  /** The chain of 20 closed by its writer at its head, one minute after the last checkpoint. */
  function closedChain() {
    const { events, checkpoints } = chain(20);
    const last = checkpoints.at(-1)!;
    const closing = signCheckpoint(
      key,
      CHAIN,
      { seq: last.seq, hash: last.head },
      new Date(Date.parse(last.at) + MINUTE),
      last.digest,
      true,
    );
    return { events, checkpoints: [...checkpoints, closing], closing };
  }

  it('a closed chain has no gap after its close, where an open one does', () => {
    const { events, checkpoints, closing } = closedChain();
    const hourLater = new Date(Date.parse(closing.at) + 60 * MINUTE);
    expect(verify(events, checkpoints, { now: hourLater })).toEqual([]);
    expect(verify(events, checkpoints.slice(0, -1), { now: hourLater })).toEqual([
      expect.objectContaining({ kind: FindingKind.CHECKPOINT_GAP, seqFrom: 20 }),
    ]);
  });

  it("a close long after the last checkpoint (a successor closing a dead process's chain) is no gap", () => {
    const { events, checkpoints } = chain(20);
    const last = checkpoints.at(-1)!;
    const adopted = signCheckpoint(
      key,
      CHAIN,
      { seq: last.seq, hash: last.head },
      new Date(Date.parse(last.at) + 30 * MINUTE),
      last.digest,
      true,
    );
    expect(
      verify(events, [...checkpoints, adopted], { now: new Date(Date.parse(adopted.at) + MINUTE) }),
    ).toEqual([]);
    // Not closed yet: with openEndIsGap off (an access chain) the time since is no gap either.
    const now = new Date(Date.parse(last.at) + 30 * MINUTE);
    expect(verify(events, checkpoints, { now, openEndIsGap: false })).toEqual([]);
    expect(verify(events, checkpoints, { now }).map((f) => f.kind)).toEqual([FindingKind.CHECKPOINT_GAP]);
  });

  it('INSERTED for any link after the close, however recent it claims to be', () => {
    const { events, checkpoints, closing } = closedChain();
    const head = events.at(-1)!.document.cairn.integrity!;
    const forged = event(40);
    forged.event.ingested = closing.at;
    const link = nextLink(CHAIN, { seq: head.seq, hash: head.hash }, forged);
    events.push({ id: 'e40', index: 'cairn-events-2026.12', document: withLink(forged, link) });
    expect(verify(events, checkpoints)).toEqual([
      expect.objectContaining({
        kind: FindingKind.INSERTED,
        seqFrom: 21,
        events: [expect.objectContaining({ id: 'e40' })],
      }),
    ]);
    expect(verify(events, checkpoints.slice(0, -1))).toEqual([]);
  });

  it('signs closed into the bytes, so a close cannot be added or removed afterwards', () => {
    const { closing } = closedChain();
    const { closed, ...reopened } = closing;
    expect(closed).toBe(true);
    const { events, checkpoints } = chain(20);
    expect(verify(events, [...checkpoints, reopened])).toEqual([
      expect.objectContaining({ kind: FindingKind.BAD_SIGNATURE, checkpoint: closing.digest }),
    ]);
  });
});

describe('retention', () => {
  const statement = (through: number) =>
    signRetention(key, CHAIN, through, 'cairn-events-2025.11', new Date(T0 + 30 * MINUTE));

  it('positions a signed retention statement lets go of are counted as removed, not missing', () => {
    const { events, checkpoints } = chain(20);
    const kept = events.slice(8);
    expect(verify(kept, checkpoints, { retention: [statement(8)] })).toEqual([]);
    expect(verify(kept, checkpoints)).toEqual([
      expect.objectContaining({ kind: FindingKind.MISSING, seqFrom: 1, seqTo: 8 }),
    ]);
    const verifier = new ChainVerifier({
      chain: CHAIN,
      checkpoints,
      trustedKeys,
      retention: [statement(8)],
      maxGapMs: 2 * MINUTE,
      coverToleranceMs: 15 * MINUTE,
      report: () => undefined,
    });
    for (const stored of kept) verifier.add(stored);
    verifier.finish();
    expect(verifier.removed).toBe(8);
  });

  it('MISSING still for what is gone past the statement, and for all of it when the statement does not verify', () => {
    const { events, checkpoints } = chain(20);
    const kept = events.slice(10);
    expect(verify(kept, checkpoints, { retention: [statement(8)] })).toEqual([
      expect.objectContaining({ kind: FindingKind.MISSING, seqFrom: 9, seqTo: 10 }),
    ]);
    const stretched = { ...statement(8), through: 10 };
    expect(verify(kept, checkpoints, { retention: [stretched] })).toEqual([
      expect.objectContaining({ kind: FindingKind.BAD_SIGNATURE, checkpoint: stretched.digest }),
      expect.objectContaining({ kind: FindingKind.MISSING, seqFrom: 1, seqTo: 10 }),
    ]);
    const otherChain = signRetention(key, 'cairn.raw.runtime/0', 10, 'cairn-events-2025.11', new Date(T0));
    expect(verify(kept, checkpoints, { retention: [otherChain] }).map((f) => f.kind)).toEqual([
      FindingKind.BAD_SIGNATURE,
      FindingKind.MISSING,
    ]);
  });
});

describe('event digest', () => {
  it('covers every field but cairn.compliance and cairn.integrity, whatever the key order', () => {
    const document = event(1);
    const reordered = JSON.parse(
      JSON.stringify({
        user: document.user,
        cairn: document.cairn,
        event: document.event,
        '@timestamp': document['@timestamp'],
      }),
    );
    expect(eventDigest(reordered)).toBe(eventDigest(document));
    expect(
      eventDigest({ ...document, event: { ...document.event, ingested: '2026-12-02T10:00:00.001Z' } }),
    ).not.toBe(eventDigest(document));
    expect(eventDigest(JSON.parse(JSON.stringify({ ...document, extra: undefined })))).toBe(
      eventDigest(document),
    );
  });
});

describe('remainder encoding', () => {
  it('is the canonical encoding of what the fingerprint leaves out, written without building it', () => {
    const document = event(3);
    const expected = canonicalEncoding({
      '@timestamp': document['@timestamp'],
      event: { ingested: document.event.ingested },
      cairn: { position: document.cairn.position },
    });
    expect(remainderEncoding(document, OUTSIDE_THE_HASH)).toBe(expected);
  });
});
