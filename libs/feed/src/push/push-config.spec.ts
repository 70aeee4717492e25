import { parseFeedsSection } from './push-config';

describe('parseFeedsSection', () => {
  it('reads syslog and HEC feeds with their filters; TLS unless told otherwise', () => {
    const problems: string[] = [];
    const feeds = parseFeedsSection(
      [
        {
          name: 'qradar',
          transport: 'syslog',
          filter: { products: ['falco'], minSeverity: 'medium', controls: ['PCI_DSS:10.2.1.1'] },
          syslog: { host: 'siem.example.com', port: 6514, format: 'leef', tls: { caFile: '/etc/ca.pem' } },
        },
        {
          name: 'lab',
          transport: 'syslog',
          syslog: { host: '127.0.0.1', port: 514, tls: false },
          stalledAfterSeconds: 3600,
        },
        {
          name: 'splunk',
          transport: 'hec',
          hec: { url: 'https://splunk:8088/', tokenEnv: 'SPLUNK_HEC_TOKEN', ack: true },
        },
      ],
      problems,
    );
    expect(problems).toEqual([]);
    expect(feeds[0]).toEqual({
      name: 'qradar',
      filter: {
        products: ['falco'],
        sourceKinds: undefined,
        controls: ['PCI_DSS:10.2.1.1'],
        minSeverity: 'medium',
      },
      target: {
        transport: 'syslog',
        host: 'siem.example.com',
        port: 6514,
        format: 'leef',
        tls: { caFile: '/etc/ca.pem', certFile: undefined, keyFile: undefined, serverName: undefined },
        hostname: undefined,
        enterpriseNumber: undefined,
      },
      stalledAfterSeconds: 300,
    });
    expect(feeds[1].target).toMatchObject({ format: 'cef', tls: false });
    expect(feeds[1].stalledAfterSeconds).toBe(3600);
    expect(feeds[2].target).toEqual({
      transport: 'hec',
      url: 'https://splunk:8088',
      tokenEnv: 'SPLUNK_HEC_TOKEN',
      index: undefined,
      ack: true,
      caFile: undefined,
    });
  });

  it('names each problem by its path', () => {
    const problems: string[] = [];
    parseFeedsSection(
      [
        { name: 'Bad Name', transport: 'kafka' },
        {
          name: 'a',
          transport: 'syslog',
          syslog: { host: 'x y', port: 0, format: 'xml', tls: { certFile: '/c' } },
          colour: 1,
        },
        {
          name: 'a',
          transport: 'hec',
          hec: { url: 'splunk', tokenEnv: 'abc-123', ack: 'yes' },
          filter: { minSeverity: 'huge' },
          stalledAfterSeconds: 5,
        },
      ],
      problems,
    );
    expect(problems).toEqual([
      'feeds[0].name: lower-case letters, digits and "-", at most 63',
      'feeds[0].transport: syslog or hec',
      'feeds[1].colour: unknown key (name, transport, filter, syslog, hec, stalledAfterSeconds)',
      'feeds[1].syslog.host: a host name or address',
      'feeds[1].syslog.format: one of cef, leef, ecs, ocsf',
      'feeds[1].syslog.tls: certFile and keyFile go together',
      'feeds[1].syslog.port: a port number',
      'feeds[2].name: a is used twice',
      "feeds[2].hec.url: the collector's base URL, e.g. https://splunk.example.com:8088",
      'feeds[2].hec.tokenEnv: the name of the environment variable holding the HEC token (never the token)',
      'feeds[2].hec.ack: true or false',
      'feeds[2].filter.minSeverity: one of informational, low, medium, high, critical',
      'feeds[2].stalledAfterSeconds: whole seconds from 10 to 604800 (a week)',
    ]);
  });
});
