import { rmSync, writeFileSync } from 'node:fs';
import type { Client } from '@elastic/elasticsearch';
import type { Producer } from 'kafkajs';
import { expectOrderlyStop, freePort, runUntilExit, startApp, type RunningApp } from './support/app-process';
import { CheckpointIndex, CheckpointLog } from '@cairn/integrity-store';
import { graphql, newToken } from './support/graphql-client';
import {
  appEnvironment,
  checkpointDirOf,
  elasticsearch,
  eventually,
  isolatedNames,
  kafka,
  removeIsolated,
} from './support/local-stack';
import { mixedEvents } from './support/workload';

/**
 * Tamper evidence on the real stack: each change made behind Cairn's back, directly in
 * Elasticsearch, is found exactly (kind, chain, position, event), and undoing it verifies again.
 */
const names = isolatedNames('integrity');
const auditor = newToken('e2e-auditor', 'auditor');
const investigator = newToken('e2e-investigator', 'investigator');
const CHECKPOINT_SECONDS = 5;
const env = {
  ...appEnvironment(names),
  CAIRN_API_TOKENS: JSON.stringify([auditor.entry, investigator.entry]),
  CAIRN_INTEGRITY_CHECKPOINT_SECONDS: String(CHECKPOINT_SECONDS),
  CAIRN_INTEGRITY_VERIFY_SECONDS: '4',
};
const messages = mixedEvents(150, { seed: names.id });
const expectedIds = messages.flatMap((message) => message.ids);

const REPORT = `query Integrity($from: DateTime, $to: DateTime) {
  integrityReport(from: $from, to: $to) {
    ok eventsVerified truncated checkpointSources
    chains { chain verified pending checkpoints lastSeq lastCheckpointAt closed }
    findings { kind chain message seqFrom seqTo events { id index seq } checkpoint from to }
  }
}`;

interface Finding {
  kind: string;
  chain: string;
  message: string;
  seqFrom: number | null;
  seqTo: number | null;
  events: { id: string; index: string; seq: number | null }[];
  checkpoint: string | null;
}
interface Report {
  ok: boolean;
  eventsVerified: number;
  checkpointSources: string[];
  chains: {
    chain: string;
    verified: number;
    pending: number;
    checkpoints: number;
    lastSeq: number | null;
    closed: boolean;
  }[];
  findings: Finding[];
}

let ingest: RunningApp;
let api: RunningApp;
let producer: Producer;
let client: Client;

async function report(variables: Record<string, unknown> = {}): Promise<Report> {
  const response = await graphql<{ integrityReport: Report }>(api.baseUrl, auditor.token, REPORT, variables);
  if (response.errors) throw new Error(JSON.stringify(response.errors));
  return response.data!.integrityReport;
}

const ACCESS_CHAIN = /^cairn\.access\//;
/** The chains of ingested events (each query adds to the API's access chain too). */
const eventChains = (current: Report) => current.chains.filter((chain) => !ACCESS_CHAIN.test(chain.chain));

/** Waits until every event is stored and signed: a checkpoint covers each chain's head. */
async function covered(): Promise<Report> {
  return eventually(
    async () => {
      const current = await report();
      const chains = eventChains(current);
      const pending = chains.reduce((sum, chain) => sum + chain.pending, 0);
      const verified = chains.reduce((sum, chain) => sum + chain.verified, 0);
      return verified === expectedIds.length && pending === 0 ? current : undefined;
    },
    'every event to be chained and covered by a checkpoint',
    90_000,
    1000,
  );
}

interface StoredHit {
  _index: string;
  _id: string;
  _source: { cairn: { source_kind?: string; integrity: { chain: string; seq: number } } } & Record<
    string,
    unknown
  >;
}

/** The stored events of the busiest chain of ingested events, in chain order. */
async function busiestChain(): Promise<StoredHit[]> {
  await client.indices.refresh({ index: names.indexPrefix });
  const chains = await client.search({
    index: names.indexPrefix,
    size: 0,
    query: { bool: { must_not: [{ term: { 'cairn.source_kind': 'CAIRN' } }] } },
    aggs: { chains: { terms: { field: 'cairn.integrity.chain', size: 1 } } },
  });
  const [top] = (chains.aggregations!.chains as { buckets: { key: string }[] }).buckets;
  const page = await client.search({
    index: names.indexPrefix,
    query: { term: { 'cairn.integrity.chain': top.key } },
    sort: [{ 'cairn.integrity.seq': 'asc' }],
    size: 1000,
  });
  return page.hits.hits as unknown as StoredHit[];
}

const restore = async (hit: StoredHit) => {
  await client.index({ index: hit._index, id: hit._id, document: hit._source, refresh: true });
};

beforeAll(async () => {
  client = elasticsearch();
  ingest = await startApp('ingest', env, await freePort());
  api = await startApp('api', env, await freePort());
  producer = kafka().producer();
  await producer.connect();
  const admin = kafka().admin();
  await admin.connect();
  await eventually(
    async () => ((await admin.listTopics()).includes(names.topics.orchestrator) ? true : undefined),
    'ingest to create its topics',
  );
  await admin.disconnect();
  for (const message of messages) {
    await producer.send({ topic: names.topics[message.topic], messages: [{ value: message.value }] });
  }
}, 120_000);

afterAll(async () => {
  await producer?.disconnect();
  const stopped = await Promise.all([api?.stop(), ingest?.stop()]);
  await client?.close();
  await removeIsolated(names);
  stopped.forEach((ended) => ended && expectOrderlyStop(ended));
});

it('chains every stored event and verifies the whole trail against the log and the index', async () => {
  const verified = await covered();
  expect(verified.findings).toEqual([]);
  expect(verified.ok).toBe(true);
  expect(verified.checkpointSources).toEqual([`${names.indexPrefix}.checkpoints`, checkpointDirOf(names)]);
  expect(eventChains(verified).reduce((sum, chain) => sum + chain.verified, 0)).toBe(expectedIds.length);
  for (const chain of verified.chains) expect(chain.lastSeq ?? 0).toBe(chain.verified);
}, 120_000);

it('is for auditors and admins only', async () => {
  const refused = await graphql(api.baseUrl, investigator.token, REPORT);
  expect(refused.errors?.[0].extensions?.code).toBe('FORBIDDEN');
});

it('MODIFIED names the event whose field was changed in Elasticsearch; undone, it verifies', async () => {
  const chain = await busiestChain();
  const target = chain[3];
  await client.update({
    index: target._index,
    id: target._id,
    doc: { message: 'nothing happened here' },
    refresh: true,
  });
  const { findings } = await report();
  expect(findings).toEqual([
    expect.objectContaining({
      kind: 'MODIFIED',
      chain: target._source.cairn.integrity.chain,
      seqFrom: 4,
      seqTo: 4,
      events: [{ id: target._id, index: target._index, seq: 4 }],
    }),
  ]);
  await restore(target);
  expect((await report()).ok).toBe(true);
}, 60_000);

const VERIFICATIONS = `query Verifications($since: DateTime) {
  events(filter: { products: ["cairn"], actions: ["cairn.integrity.verify"], from: $since }, first: 50) {
    edges { node { outcome message } }
  }
}`;
const PCI_REPORT = `query Pci($from: DateTime!, $to: DateTime!) {
  complianceReport(framework: PCI_DSS, from: $from, to: $to) { controls { id status evidenceCount findings } }
}`;

async function metric(name: string): Promise<number> {
  const text = await (await fetch(`${ingest.baseUrl}/metrics`)).text();
  const line = text.split('\n').find((entry) => entry.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : NaN;
}

it('the scheduled verification records each run as an event; a failure is an alert, a PCI DSS 10.3.4 finding and a metric', async () => {
  const since = new Date();
  const outcomes = async () => {
    const response = await graphql<{ events: { edges: { node: { outcome: string; message: string } }[] } }>(
      api.baseUrl,
      auditor.token,
      VERIFICATIONS,
      { since: since.toISOString() },
    );
    return response.data!.events.edges.map((edge) => edge.node);
  };
  await eventually(
    async () => ((await outcomes()).some((n) => n.outcome === 'SUCCESS') ? true : undefined),
    'a passing verification',
    30_000,
    1000,
  );
  expect(await metric('cairn_integrity_findings')).toBe(0);
  const [target] = await busiestChain();
  await client.update({ index: target._index, id: target._id, doc: { message: 'rewritten' }, refresh: true });
  const failure = await eventually(
    async () => (await outcomes()).find((n) => n.outcome === 'FAILURE'),
    'a failing verification',
    30_000,
    1000,
  );
  expect(failure.message).toContain(`MODIFIED: event ${target._id} at position 1`);
  expect(await metric('cairn_integrity_findings')).toBe(1);
  const window = {
    from: new Date(Date.now() - 3_600_000).toISOString(),
    to: new Date(Date.now() + 60_000).toISOString(),
  };
  const pci = await graphql<{
    complianceReport: {
      controls: { id: string; status: string; evidenceCount: number; findings: string[] }[];
    };
  }>(api.baseUrl, auditor.token, PCI_REPORT, window);
  const control = pci.data!.complianceReport.controls.find((c) => c.id === '10.3.4')!;
  expect(control.status).toBe('EVIDENCED');
  expect(control.evidenceCount).toBeGreaterThan(0);
  expect(control.findings.some((finding) => finding.includes(`MODIFIED: event ${target._id}`))).toBe(true);

  // The command line verifies too: JSON progress lines when not on a terminal, exit 1 on findings.
  const cli = await runUntilExit('cli', env, 60_000, ['verify']);
  expect(cli.code).toBe(1);
  const verdict = JSON.parse(cli.stdout) as Report;
  expect(verdict.findings).toEqual([
    expect.objectContaining({ kind: 'MODIFIED', events: [expect.objectContaining({ id: target._id })] }),
  ]);
  expect(
    cli.stderr
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { progress: string })
      .at(-1),
  ).toMatchObject({
    progress: 'verify',
    done: verdict.eventsVerified,
  });
  expect(verdict.eventsVerified).toBeGreaterThan(expectedIds.length);
  await restore(target);
  const clean = await runUntilExit('cli', env, 60_000, ['verify']);
  expect(clean.code).toBe(0);
  expect((JSON.parse(clean.stdout) as Report).ok).toBe(true);
}, 120_000);

it('integrity-key makes a key that is never overwritten and prints the public key ingest signs with', async () => {
  const dir = checkpointDirOf(names);
  const made = await runUntilExit('cli', env, 30_000, ['integrity-key', '--out', `${dir}-new-key.pem`]);
  expect(made.code).toBe(0);
  expect(JSON.parse(made.stdout)).toMatchObject({
    keyId: expect.stringMatching(/^[0-9a-f]{16}$/),
    written: `${dir}-new-key.pem`,
  });
  const again = await runUntilExit('cli', env, 30_000, ['integrity-key', '--out', `${dir}-new-key.pem`]);
  expect(again.code).toBe(2);
  expect(again.stderr).toContain('a key is never overwritten');
  const shown = await runUntilExit('cli', env, 30_000, ['integrity-key', '--public']);
  expect(shown.code).toBe(0);
  const checkpoint = await client.search<{ key: string }>({
    index: `${names.indexPrefix}.checkpoints`,
    size: 1,
  });
  expect(JSON.parse(shown.stdout)).toMatchObject({
    keyId: checkpoint.hits.hits[0]._source!.key,
    publicKey: expect.stringContaining('BEGIN PUBLIC KEY'),
  });
  rmSync(`${dir}-new-key.pem`, { force: true });
});

it('retag with another scope rewrites the tags of stored events, and the trail still verifies', async () => {
  const scopeFile = `${checkpointDirOf(names)}-scope.yaml`;
  writeFileSync(
    scopeFile,
    'compliance:\n  scopes:\n    HIPAA: { namespaces: [default, kube-system, payments, ehr] }\n',
  );
  const retag = await runUntilExit('cli', { ...env, CAIRN_CONFIG: scopeFile }, 60_000, ['retag']);
  rmSync(scopeFile, { force: true });
  expect(retag.code).toBe(0);
  const totals = JSON.parse(retag.stdout) as { scanned: number; changed: number; failed: number };
  expect(totals.scanned).toBeGreaterThanOrEqual(expectedIds.length);
  expect(totals.changed).toBeGreaterThan(0);
  expect(totals.failed).toBe(0);
  expect((await report()).findings).toEqual([]);
}, 90_000);

it('MISSING gives the position of a deleted event', async () => {
  const chain = await busiestChain();
  const target = chain[5];
  await client.delete({ index: target._index, id: target._id, refresh: true });
  expect((await report()).findings).toEqual([
    expect.objectContaining({
      kind: 'MISSING',
      chain: target._source.cairn.integrity.chain,
      seqFrom: 6,
      seqTo: 6,
    }),
  ]);
  await restore(target);
  expect((await report()).ok).toBe(true);
}, 60_000);

it('INSERTED for a document indexed behind ingest, with no chain position', async () => {
  const [template] = await busiestChain();
  const forged = structuredClone(template._source) as Record<string, any>;
  delete forged.cairn.integrity;
  forged.event = { ...forged.event, id: 'forged-event', ingested: new Date().toISOString() };
  await client.index({ index: template._index, id: 'forged-event', document: forged, refresh: true });
  expect((await report()).findings).toEqual([
    expect.objectContaining({
      kind: 'INSERTED',
      chain: '',
      events: [{ id: 'forged-event', index: template._index, seq: null }],
    }),
  ]);
  await client.delete({ index: template._index, id: 'forged-event', refresh: true });
  expect((await report()).ok).toBe(true);
}, 60_000);

it('REORDERED when two events swap positions', async () => {
  const chain = await busiestChain();
  const [a, b] = [chain[7], chain[8]];
  const link = (hit: StoredHit) => hit._source.cairn.integrity;
  await client.update({ index: a._index, id: a._id, doc: { cairn: { integrity: { ...link(a), seq: 9 } } } });
  await client.update({ index: b._index, id: b._id, doc: { cairn: { integrity: { ...link(b), seq: 8 } } } });
  await client.indices.refresh({ index: names.indexPrefix });
  expect((await report()).findings).toEqual([
    expect.objectContaining({
      kind: 'REORDERED',
      seqFrom: 8,
      seqTo: 9,
      events: [expect.objectContaining({ id: b._id }), expect.objectContaining({ id: a._id })],
    }),
  ]);
  await restore(a);
  await restore(b);
  expect((await report()).ok).toBe(true);
}, 60_000);

it('a deleted tail of a chain is detected by the checkpoint that counted it', async () => {
  const chain = await busiestChain();
  const tail = chain.slice(-3);
  for (const hit of tail) await client.delete({ index: hit._index, id: hit._id });
  await client.indices.refresh({ index: names.indexPrefix });
  const last = tail[2]._source.cairn.integrity.seq;
  expect((await report()).findings).toEqual([
    expect.objectContaining({
      kind: 'MISSING',
      chain: tail[0]._source.cairn.integrity.chain,
      seqFrom: last - 2,
      seqTo: last,
    }),
  ]);
  for (const hit of tail) await restore(hit);
  expect((await report()).ok).toBe(true);
}, 60_000);

it("BAD_SIGNATURE when a checkpoint's signature is replaced in the index", async () => {
  const index = `${names.indexPrefix}.checkpoints`;
  await client.indices.refresh({ index });
  const page = await client.search<Record<string, unknown>>({ index, size: 1, sort: [{ at: 'desc' }] });
  const [hit] = page.hits.hits;
  const signature = String(hit._source!.signature);
  const forged = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
  await client.update({ index, id: hit._id!, doc: { signature: forged }, refresh: true });
  expect((await report()).findings).toEqual([
    expect.objectContaining({ kind: 'BAD_SIGNATURE', checkpoint: hit._id, chain: hit._source!.chain }),
  ]);
  await client.update({ index, id: hit._id!, doc: { signature }, refresh: true });
  expect((await report()).ok).toBe(true);
}, 60_000);

const access = (current: Report) => current.chains.filter((chain) => ACCESS_CHAIN.test(chain.chain));

/** The API's access records in its chain, in chain order. */
async function accessRecords(chain: string): Promise<StoredHit[]> {
  await client.indices.refresh({ index: names.indexPrefix });
  const page = await client.search({
    index: names.indexPrefix,
    query: { term: { 'cairn.integrity.chain': chain } },
    sort: [{ 'cairn.integrity.seq': 'asc' }],
    size: 1000,
  });
  return page.hits.hits as unknown as StoredHit[];
}

it("chains the API's access records, concurrent requests' records included, and finds one deleted", async () => {
  const [chain] = access(await report());
  expect(chain.chain).toMatch(/^cairn\.access\/[^/]+\/\d{8}T\d{6}Z-[0-9a-f]{8}$/);
  const answers = await Promise.all(
    Array.from({ length: 40 }, () =>
      graphql(api.baseUrl, investigator.token, '{ events(filter: {}, first: 1) { totalCount } }'),
    ),
  );
  for (const answer of answers) expect(answer.errors).toBeUndefined();
  const records = await accessRecords(chain.chain);
  // Every request's record holds the next position: no hole, no position taken twice.
  expect(records.map((hit) => hit._source.cairn.integrity.seq)).toEqual(records.map((_, i) => i + 1));
  expect(records.length).toBeGreaterThan(40);
  expect(records.every((hit) => hit._source.cairn.source_kind === 'CAIRN')).toBe(true);
  const verified = await report();
  expect(verified.findings).toEqual([]);
  expect(access(verified)[0].verified).toBeGreaterThanOrEqual(records.length);

  const target = records[10];
  await client.delete({ index: target._index, id: target._id, refresh: true });
  expect((await report()).findings).toEqual([
    expect.objectContaining({ kind: 'MISSING', chain: chain.chain, seqFrom: 11, seqTo: 11 }),
  ]);
  await restore(target);
  // An access record stored behind the API, with no position, is found like a forged event.
  const forged = structuredClone(target._source) as Record<string, any>;
  delete forged.cairn.integrity;
  forged.event = { ...forged.event, id: 'forged-access', ingested: new Date().toISOString() };
  await client.index({ index: target._index, id: 'forged-access', document: forged, refresh: true });
  expect((await report()).findings).toEqual([
    expect.objectContaining({
      kind: 'INSERTED',
      chain: '',
      events: [expect.objectContaining({ id: 'forged-access' })],
    }),
  ]);
  await client.delete({ index: target._index, id: 'forged-access', refresh: true });
  expect((await report()).ok).toBe(true);
}, 90_000);

it('CHECKPOINT_GAP for each chain when ingest was stopped for longer than two checkpoint intervals; a stopped API closed its chain', async () => {
  const before = await report();
  const [apiChain] = access(before);
  const stopped = await Promise.all([ingest.stop(), api.stop()]);
  stopped.forEach((ended) => expectOrderlyStop(ended));
  // The API's last checkpoint closed its chain: signed as closed, at its last record. A stop
  // writes the log copy first and gives the index copy a bounded wait, so the newer of the two
  // counts, as for verification.
  const records = await accessRecords(apiChain.chain);
  const [indexed, logged] = await Promise.all([
    new CheckpointIndex(client, names.indexPrefix).latest(apiChain.chain),
    new CheckpointLog(checkpointDirOf(names)).latest(apiChain.chain),
  ]);
  const closing = [indexed, logged]
    .filter((checkpoint) => checkpoint !== undefined)
    .sort((a, b) => Date.parse(a.at) - Date.parse(b.at))
    .pop();
  expect(closing).toMatchObject({ closed: true, seq: records.at(-1)!._source.cairn.integrity.seq });
  api = await startApp('api', env, await freePort());
  await new Promise((resolve) => setTimeout(resolve, 3.5 * CHECKPOINT_SECONDS * 1000));
  ingest = await startApp('ingest', env, await freePort());
  const ingestChains = eventChains(before);
  const after = await eventually(
    async () => {
      const current = await report();
      // Each chain's stretch ends at its first checkpoint after the restart (seqTo is that checkpoint's).
      const closed = current.findings.filter((finding) => finding.seqTo !== null);
      return closed.length >= ingestChains.length ? current : undefined;
    },
    'a checkpoint after the restart on every chain',
    60_000,
    1000,
  );
  // The closed access chain shows no gap though nothing was signed on it since; the new API has its own.
  expect(after.findings.map((finding) => [finding.kind, finding.chain]).sort()).toEqual(
    ingestChains.map((chain) => ['CHECKPOINT_GAP', chain.chain]).sort(),
  );
  expect(access(after).map((chain) => chain.chain)).toEqual(
    expect.arrayContaining([apiChain.chain, expect.not.stringMatching(apiChain.chain)]),
  );
  // Verifying only the time since the restart (every chain has a checkpoint from then) finds nothing.
  const since = new Date();
  await new Promise((resolve) => setTimeout(resolve, 1.5 * CHECKPOINT_SECONDS * 1000));
  expect((await report({ from: since.toISOString() })).findings).toEqual([]);
}, 150_000);

it('an API killed -9 leaves its chain open; the next API closes it at its stored head, and that is no finding', async () => {
  // The running API's chain: the one not closed (those of the APIs stopped before are).
  const open = access(await report()).filter((chain) => !chain.closed);
  expect(open).toHaveLength(1);
  const [killed] = open;
  // A record after the last checkpoint: the close must cover it.
  const answer = await graphql(
    api.baseUrl,
    investigator.token,
    '{ events(filter: {}, first: 1) { totalCount } }',
  );
  expect(answer.errors).toBeUndefined();
  const since = new Date();
  api.process.kill('SIGKILL');
  await new Promise((resolve) => api.process.once('exit', resolve));
  api = await startApp('api', env, await freePort());
  const records = await accessRecords(killed.chain);
  const closing = await eventually(
    async () => {
      await client.indices.refresh({ index: `${names.indexPrefix}.checkpoints` });
      const newest = await client.search<{ seq: number; closed?: boolean; key: string }>({
        index: `${names.indexPrefix}.checkpoints`,
        query: { term: { chain: killed.chain } },
        sort: [{ at: 'desc' }],
        size: 1,
      });
      const source = newest.hits.hits[0]?._source;
      return source?.closed ? source : undefined;
    },
    'the new API to close the dead one’s chain (after three intervals without a checkpoint)',
    60_000,
    1000,
  );
  expect(closing.seq).toBe(records.at(-1)!._source.cairn.integrity.seq);
  const verified = await report({ from: since.toISOString() });
  expect(verified.findings).toEqual([]);
  expect(access(verified).find((chain) => chain.chain === killed.chain)).toMatchObject({
    pending: 0,
    closed: true,
  });
}, 120_000);
