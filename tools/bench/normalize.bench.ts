import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ComplianceEngine, parseScope } from '@cairn/compliance';
import { capKeywordValues, contentFingerprint } from '@cairn/event-schema';
import { GENESIS, nextLink, type ChainHead } from '@cairn/integrity';
import type { AuditEventDocument } from '@cairn/event-schema';
import { normalizeRawEvent } from '@cairn/normalizers';

/**
 * Events per second on one core for each source, on the golden-file fixtures (real-shaped
 * events), and the share of that time spent in JSON.parse alone, measured in the same run.
 * Prints JSON. Target: >= 50,000 Kubernetes audit events/s per core. Also what ingest adds per
 * event for compliance tagging (every catalog rule, a scope like the README's), side by side,
 * and the integrity chain step's cost (event digest and link hash) as a share of the pipeline's
 * per-message cost (normalize, validate, tag, fingerprint, chain). Target: <= 10 %. And per
 * source, normalize + validate + tag per message over JSON.parse of the same bytes (target <= 2.5).
 */
// Compiled to dist/bench/tools/bench; the fixtures stay in the source tree.
const ROOT = join(__dirname, '..', '..', '..', '..', 'libs', 'normalizers', 'src');
const SECONDS = Number(process.env.BENCH_SECONDS ?? 2);
const RECEIVED_AT = new Date('2026-11-02T00:00:00Z');

function inputs(source: string): Buffer[] {
  const dir = join(ROOT, source, 'fixtures');
  return (
    readdirSync(dir)
      // JSON inputs only (not ctr text lines), so the parse-only measurement parses the same bytes.
      .filter(
        (name) =>
          name.endsWith('.json') &&
          !name.endsWith('.expected.json') &&
          !name.startsWith('invalid') &&
          !name.startsWith('ctr-'),
      )
      .map((name) => readFileSync(join(dir, name)))
  );
}

function rate<T>(work: (item: T) => unknown, batch: readonly T[]): { perSecond: number; nsPerEvent: number } {
  // Warm-up, so the JIT has compiled the hot paths before timing starts.
  for (let i = 0; i < 2000; i += 1) work(batch[i % batch.length]);
  let count = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(SECONDS * 1e9);
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < 1000; i += 1) work(batch[(count + i) % batch.length]);
    count += 1000;
    now = process.hrtime.bigint();
  }
  const ns = Number(now - start);
  return { perSecond: Math.round((count / ns) * 1e9), nsPerEvent: Math.round(ns / count) };
}

const engine = new ComplianceEngine(
  parseScope({
    scopes: {
      PCI_DSS: { namespaces: ['payments'] },
      HIPAA: { namespaces: ['ehr'] },
      GDPR: { namespaces: ['crm'] },
    },
    adminGroups: ['system:masters', 'platform-admins'],
    auditComponents: { namespaces: ['logging'], images: ['falco', 'fluent-bit'] },
  }),
);

const sources = ['kubernetes-audit', 'docker', 'containerd', 'falco', 'distribution', 'harbor'];
const results = Object.fromEntries(
  sources.map((source) => {
    const batch = inputs(source);
    const normalize = rate((bytes) => normalizeRawEvent({ bytes, receivedAt: RECEIVED_AT }), batch);
    const parseOnly = rate((bytes) => JSON.parse(bytes.toString('utf8')) as unknown, batch);
    const tagged = rate(
      (bytes) =>
        normalizeRawEvent({ bytes, receivedAt: RECEIVED_AT }).map((document) => engine.tag(document)),
      batch,
    );
    // What ingest adds around normalizing (issue 11), on documents already made: the keyword cap
    // pass (part of normalizeRawEvent, so inside messagesPerSecond too) and the content
    // fingerprint the bulk writer computes for each identity claim.
    const documents = batch.flatMap((bytes) => normalizeRawEvent({ bytes, receivedAt: RECEIVED_AT }));
    const capped = rate(capKeywordValues, documents);
    const fingerprinted = rate(contentFingerprint, documents);
    // The chain step as ingest runs it: each message's tagged documents linked after a head,
    // from the fingerprints the store's identity claims need anyway (computed once, shared).
    const perMessage = batch.map((bytes) =>
      normalizeRawEvent({ bytes, receivedAt: RECEIVED_AT }).map((document) => engine.tag(document)),
    );
    const withFingerprints = perMessage.map((docs) =>
      docs.map((document): [AuditEventDocument, string] => [document, contentFingerprint(document)]),
    );
    const chained = rate((docs) => {
      let head: ChainHead = GENESIS;
      for (const [document, fingerprint] of docs) {
        head = nextLink('cairn.raw.orchestrator/0', head, document, fingerprint);
      }
      return head;
    }, withFingerprints);
    const fingerprintedPerMessage = rate((docs) => docs.map(contentFingerprint), perMessage);
    const pipelineNs = tagged.nsPerEvent + fingerprintedPerMessage.nsPerEvent + chained.nsPerEvent;
    const averageBytes = Math.round(batch.reduce((n, b) => n + b.length, 0) / batch.length);
    return [
      source,
      {
        messagesPerSecond: normalize.perSecond,
        nsPerMessage: normalize.nsPerEvent,
        jsonParseShare: +(parseOnly.nsPerEvent / normalize.nsPerEvent).toFixed(2),
        withComplianceTagsPerSecond: tagged.perSecond,
        complianceTaggingNsPerMessage: tagged.nsPerEvent - normalize.nsPerEvent,
        // Issue 17's yardstick: normalize + validate + tag per message, in JSON.parses of its bytes.
        taggedOverJsonParse: +(tagged.nsPerEvent / parseOnly.nsPerEvent).toFixed(2),
        keywordCapNsPerDocument: capped.nsPerEvent,
        contentFingerprintNsPerDocument: fingerprinted.nsPerEvent,
        fingerprintShareOfNormalize: +(fingerprinted.nsPerEvent / normalize.nsPerEvent).toFixed(2),
        integrityChainNsPerMessage: chained.nsPerEvent,
        pipelineNsPerMessage: pipelineNs,
        integrityChainShareOfPipeline: +(chained.nsPerEvent / pipelineNs).toFixed(3),
        averageMessageBytes: averageBytes,
        fixtures: batch.length,
      },
    ];
  }),
);

console.log(
  JSON.stringify(
    {
      benchmark: 'normalize',
      node: process.version,
      secondsPerMeasurement: SECONDS,
      target: { source: 'kubernetes-audit', messagesPerSecond: 50000 },
      meetsTarget: results['kubernetes-audit'].messagesPerSecond >= 50000,
      parseTarget: { maxTaggedOverJsonParse: 2.5 },
      meetsParseTarget: Object.values(results).every((r) => r.taggedOverJsonParse <= 2.5),
      integrityTarget: { maxChainShareOfPipeline: 0.1 },
      meetsIntegrityTarget: Object.values(results).every((r) => r.integrityChainShareOfPipeline <= 0.1),
      results,
    },
    null,
    2,
  ),
);
