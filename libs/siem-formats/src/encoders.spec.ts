import type { AuditEventDocument } from '@cairn/event-schema';
import { encodeCef } from './cef/cef.encoder';
import { severityLevel } from './common/severity';
import { encodeEcs } from './ecs/ecs.encoder';
import { encodeHec } from './hec/hec.encoder';
import { encodeLeef } from './leef/leef.encoder';
import { frameSyslog } from './syslog/syslog.frame';

const base = (over: Partial<AuditEventDocument> = {}): AuditEventDocument => ({
  '@timestamp': '2026-05-01T10:00:00.125Z',
  message: 'alice get secrets/db',
  event: {
    id: 'e'.repeat(64),
    kind: 'event',
    action: 'secrets.get',
    outcome: 'success',
    ingested: '2026-05-01T10:00:01.000Z',
  },
  user: { name: 'alice' },
  source: { ip: ['10.1.2.3', '10.0.0.1'] },
  orchestrator: { namespace: 'payments', resource: { type: 'secrets', name: 'db' } },
  cairn: {
    source_kind: 'ORCHESTRATOR',
    product: 'kubernetes',
    schema_version: '1',
    compliance: { controls: ['PCI_DSS:10.2.1.1', 'PCI_DSS:10.2.1.2'], version: 'v1' },
  },
  ...over,
});

const extension = (line: string) => line.split('|').slice(7).join('|');

describe('CEF', () => {
  it('escapes the pipe and the backslash in header fields, and nothing else there', () => {
    const line = encodeCef(base({ message: 'a|b\\c=d' }));
    expect(line.split(/(?<!\\)\|/).slice(0, 7)).toEqual([
      'CEF:0',
      'Cairn',
      'kubernetes',
      '1',
      'secrets.get',
      'a\\|b\\\\c=d',
      '1',
    ]);
  });

  it('escapes =, \\ and line breaks in extension values, but not the pipe', () => {
    const line = encodeCef(base({ message: 'x=1\\2|3\r\nnext\rline' }));
    expect(extension(line)).toContain('msg=x\\=1\\\\2|3\\r\\nnext\\rline');
  });

  it('carries time, id, action, outcome, user and an IPv4 client in their CEF keys', () => {
    const pairs = extension(encodeCef(base()));
    expect(pairs).toMatch(
      /^rt=1777629600125 externalId=e{40} flexString1Label=eventId flexString1=e{64} act=secrets.get outcome=success suser=alice src=10\.1\.2\.3 /,
    );
  });

  it('puts an IPv6 client in c6a2 with its label, never in src (CEF src is IPv4)', () => {
    const pairs = extension(encodeCef(base({ source: { ip: ['2001:db8::1'] } })));
    expect(pairs).toContain('c6a2Label=sourceAddress c6a2=2001:db8::1');
    expect(pairs).not.toContain('src=');
  });

  it('labels the custom strings for namespace, resource and controls', () => {
    expect(extension(encodeCef(base()))).toContain(
      'cs1Label=namespace cs1=payments cs2Label=resource cs2=secrets/db cs3Label=controls cs3=PCI_DSS:10.2.1.1,PCI_DSS:10.2.1.2',
    );
  });

  it('keeps every value within the CEF length limits, cutting before escaping', () => {
    const long = base({
      message: 'm'.repeat(2000),
      host: { name: 'h'.repeat(150) },
      event: { ...base().event, action: `a=${'b'.repeat(100)}` },
    });
    const pairs = extension(encodeCef(long));
    expect(pairs).toContain(` msg=${'m'.repeat(1022)}… `);
    expect(pairs).toContain(` dvchost=${'h'.repeat(99)}… `);
    expect(pairs).toContain(` act=a\\=${'b'.repeat(60)}… `);
  });

  it('leaves out what the event does not know', () => {
    const line = encodeCef(base({ user: undefined, source: undefined, orchestrator: undefined }));
    expect(line).not.toMatch(/suser=|src=|cs1=|cs2=/);
  });
});

describe('LEEF 2.0', () => {
  it('declares the tab delimiter in the header and separates attributes with it', () => {
    const line = encodeLeef(base());
    expect(
      line.startsWith('LEEF:2.0|Cairn|kubernetes|1|secrets.get|x09|devTime=2026-05-01T10:00:00.125Z\t'),
    ).toBe(true);
    expect(line).toContain("\tdevTimeFormat=yyyy-MM-dd'T'HH:mm:ss.SSSXXX\t");
    expect(line).toContain('\tusrName=alice\tsrc=10.1.2.3\t');
    expect(line).toContain('\tsev=1\t');
  });

  it('turns tabs and line breaks inside values into spaces, so no attribute is split', () => {
    const line = encodeLeef(base({ message: 'one\ttwo\r\nthree' }));
    expect(line.split('\t').filter((pair) => pair.startsWith('msg='))).toEqual(['msg=one two three']);
  });

  it('escapes a pipe in a header field', () => {
    expect(encodeLeef(base({ event: { ...base().event, action: 'a|b' } }))).toContain('|a\\|b|x09|');
  });
});

describe('Splunk HEC', () => {
  it('is one event object: epoch seconds with milliseconds, sourcetype per product, the document, indexed fields', () => {
    const event = JSON.parse(encodeHec(base(), { index: 'audit' })) as Record<string, unknown>;
    expect(event).toEqual({
      time: 1777629600.125,
      source: 'cairn',
      sourcetype: 'cairn:kubernetes',
      index: 'audit',
      event: base(),
      fields: {
        event_id: 'e'.repeat(64),
        product: 'kubernetes',
        action: 'secrets.get',
        outcome: 'success',
        namespace: 'payments',
        controls: ['PCI_DSS:10.2.1.1', 'PCI_DSS:10.2.1.2'],
      },
    });
  });

  it('names no index unless one is configured, and takes the host from the event', () => {
    const event = JSON.parse(encodeHec(base({ host: { name: 'worker-3' } }))) as Record<string, unknown>;
    expect(event).not.toHaveProperty('index');
    expect(event.host).toBe('worker-3');
  });

  it('batches as concatenated objects that a reader can split again', () => {
    const batch = [base(), base({ message: 'two' })].map((document) => encodeHec(document)).join('');
    const parts = batch
      .split(/(?<=\})(?=\{"time")/)
      .map((part) => JSON.parse(part) as { event: { message: string } });
    expect(parts.map((part) => part.event.message)).toEqual(['alice get secrets/db', 'two']);
  });
});

describe('ECS', () => {
  it('is the stored document as it is', () => {
    expect(JSON.parse(encodeEcs(base()))).toEqual(base());
  });
});

describe('syslog (RFC 5424, octet counting)', () => {
  const options = { hostname: 'cairn-1' };

  it('counts the bytes, not the characters, of the message it frames', () => {
    const framed = frameSyslog(base(), 'CEF:0|Cairn|x|1|a|grüße ✓|1|', options);
    const [count, ...rest] = framed.split(' ');
    expect(Number(count)).toBe(Buffer.byteLength(rest.join(' '), 'utf8'));
    expect(Number(count)).toBeGreaterThan(rest.join(' ').length);
  });

  it('has PRI facility 13 × 8 + severity, version 1, the event time, host, app, MSGID and structured data', () => {
    const framed = frameSyslog(base(), 'payload', options);
    const message = framed.slice(framed.indexOf(' ') + 1);
    expect(message).toBe(
      `<110>1 2026-05-01T10:00:00.125Z cairn-1 cairn - kubernetes [cairn@32473 id="${'e'.repeat(64)}" product="kubernetes" action="secrets.get" outcome="success" controls="PCI_DSS:10.2.1.1,PCI_DSS:10.2.1.2"] payload`,
    );
  });

  it('escapes ", \\ and ] in structured-data values', () => {
    const framed = frameSyslog(base({ event: { ...base().event, action: 'a"b\\c]d' } }), 'p', options);
    expect(framed).toContain('action="a\\"b\\\\c\\]d"');
  });

  it('uses the event host when it names one, and the severity of the event', () => {
    const alert = base({
      host: { name: 'worker 3' },
      event: { ...base().event, kind: 'alert', severity: 2 },
    });
    const message = frameSyslog(alert, 'p', options).split(' ');
    expect(message[1]).toBe('<106>1');
    expect(message[3]).toBe('worker3');
  });
});

describe('severity', () => {
  it.each([
    [0, 'critical'],
    [2, 'critical'],
    [3, 'high'],
    [4, 'medium'],
    [5, 'low'],
    [6, 'informational'],
    [7, 'informational'],
  ] as const)('syslog severity %i is %s', (severity, level) => {
    expect(severityLevel(base({ event: { ...base().event, severity } }))).toBe(level);
  });

  it('takes a scan’s worst finding, then alert, then failure, else informational', () => {
    expect(severityLevel(base({ registry: { scan: { severity: 'High' } } }))).toBe('high');
    expect(severityLevel(base({ event: { ...base().event, kind: 'alert' } }))).toBe('high');
    expect(severityLevel(base({ event: { ...base().event, outcome: 'failure' } }))).toBe('low');
    expect(severityLevel(base())).toBe('informational');
  });
});
