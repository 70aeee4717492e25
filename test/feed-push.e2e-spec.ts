import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expectOrderlyStop, freePort, startApp, type RunningApp } from './support/app-process';
import { startCairn, type CairnUnderTest } from './support/cairn-under-test';
import { newToken } from './support/graphql-client';
import { appEnvironment, eventually, isolatedNames } from './support/local-stack';
import { startRsyslog, type Rsyslog } from './support/rsyslog';
import { mixedEvents, type WorkloadMessage } from './support/workload';

/**
 * Push delivery to a real receiver: Debian's rsyslogd over TLS (RFC 5425). Every stored event
 * arrives once, as RFC 5424 with octet counting, carrying CEF and Cairn's structured data; with the
 * receiver down for a while the backlog waits in Kafka and arrives, nothing lost, when it is back.
 */
const names = isolatedNames('feed-push');
const prefix = `e2e.${names.id}.feed`;
const first = mixedEvents(200, { seed: `${names.id}-1` });
const second = mixedEvents(80, { seed: `${names.id}-2` });
const FACILITY_AUDIT = 13;

let cairn: CairnUnderTest;
let receiver: Rsyslog;
let feed: RunningApp;

interface Received {
  readonly pri: number;
  readonly version: string;
  readonly time: string;
  readonly host: string;
  readonly app: string;
  readonly msgid: string;
  readonly sd: string;
  readonly msg: string;
  readonly id: string;
}

function received(): Received[] {
  return receiver.lines().map((line) => {
    const [pri, version, time, host, app, , msgid, ...rest] = line.split('|');
    const tail = rest.join('|');
    const sdEnd = tail.indexOf(']|') + 1;
    const sd = tail.slice(0, sdEnd);
    return {
      pri: Number(pri),
      version,
      time,
      host,
      app,
      msgid,
      sd,
      msg: tail.slice(sdEnd + 1),
      id: /id="([0-9a-f]{64})"/.exec(sd)?.[1] ?? '',
    };
  });
}

async function produce(messages: readonly WorkloadMessage[]): Promise<void> {
  for (const topic of ['orchestrator', 'runtime', 'registry'] as const) {
    const values = messages.filter((m) => m.topic === topic).map((m) => ({ value: m.value }));
    if (values.length > 0) await cairn.producer.send({ topic: names.topics[topic], messages: values });
  }
}

const idsOf = (messages: readonly WorkloadMessage[]) => messages.flatMap((message) => message.ids);

beforeAll(async () => {
  receiver = await startRsyslog(await freePort());
  const config = join(mkdtempSync(join(tmpdir(), 'cairn-push-')), 'cairn.yaml');
  writeFileSync(
    config,
    [
      'feed:',
      `  topicPrefix: ${prefix}`,
      'feeds:',
      '  - name: rsyslog',
      '    transport: syslog',
      `    syslog: { host: 127.0.0.1, port: ${receiver.port}, format: cef, hostname: cairn-e2e, tls: { caFile: ${receiver.ca}, serverName: localhost } }`,
      '',
    ].join('\n'),
  );
  const env = {
    CAIRN_CONFIG: config,
    CAIRN_API_TOKENS: JSON.stringify([newToken('e2e-push', 'admin').entry]),
  };
  cairn = await startCairn(names, env);
  feed = await startApp('feed', { ...appEnvironment(names), ...env }, await freePort());
}, 180_000);

afterAll(async () => {
  const stopped = await feed?.stop();
  await cairn?.stop();
  await receiver?.stop();
  if (stopped) expectOrderlyStop(stopped);
});

describe('push to rsyslog over TLS', () => {
  it('delivers every stored event once, RFC 5424 with Cairn structured data, carrying CEF', async () => {
    await produce(first);
    const expected = idsOf(first);
    await eventually(
      async () => (received().length >= expected.length ? true : undefined),
      'rsyslog to receive every event',
      120_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const messages = received();
    expect(messages.map((message) => message.id).sort()).toEqual([...expected].sort());
    for (const message of messages) {
      expect(Math.floor(message.pri / 8)).toBe(FACILITY_AUDIT);
      expect(message.version).toBe('1');
      expect(message.app).toBe('cairn');
      expect(message.sd).toMatch(
        /^\[cairn@32473 id="[0-9a-f]{64}" product="[a-z-]+" action="[^"]+" outcome="(success|failure|unknown)"/,
      );
      expect(message.msg).toMatch(/^CEF:0\|Cairn\|/);
      expect(message.msg).toContain(`flexString1=${message.id}`);
    }
    expect(new Set(messages.map((message) => message.msgid))).toEqual(
      new Set(messages.map((message) => /product="([a-z-]+)"/.exec(message.sd)![1])),
    );
  }, 180_000);

  it('keeps the backlog in Kafka while the receiver is down, and delivers all of it when it is back', async () => {
    await receiver.stop();
    await produce(second);
    await new Promise((resolve) => setTimeout(resolve, 30_000));
    const status = (await (await fetch(`${feed.baseUrl}/status`)).json()) as {
      feeds: { lastError?: { message: string } }[];
    };
    expect(status.feeds[0].lastError).toBeDefined();
    await receiver.start();
    const expected = [...idsOf(first), ...idsOf(second)];
    await eventually(
      async () => (received().length >= expected.length ? true : undefined),
      'the backlog to arrive',
      120_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const ids = received().map((message) => message.id);
    expect(new Set(ids)).toEqual(new Set(expected));
    expect(ids).toHaveLength(expected.length);
  }, 240_000);
});
