import { loadIntakeAppConfig } from './intake-config';
import { configProblems } from '../../../../test/support/config-problems';

const TOKENS = JSON.stringify([
  { name: 'apiserver', source: 'kubernetes-audit', cluster: 'prod-eu', sha256: 'a'.repeat(64) },
]);

const problemsOf = (env: Record<string, string>) => configProblems(() => loadIntakeAppConfig(env));

describe('loadIntakeAppConfig', () => {
  it('defaults to loopback port 4002, 12 MiB bodies and the raw topics ingest reads', () => {
    const config = loadIntakeAppConfig({ CAIRN_INTAKE_TOKENS: TOKENS });
    expect(config.http).toEqual({ host: '127.0.0.1', port: 4002 });
    expect(config.maxBodyBytes).toBe(12 * 1024 * 1024);
    expect(config.topics).toEqual({
      orchestrator: 'cairn.raw.orchestrator',
      runtime: 'cairn.raw.runtime',
      registry: 'cairn.raw.registry',
    });
    expect(config.credentials.map((c) => [c.name, c.cluster])).toEqual([['apiserver', 'prod-eu']]);
  });

  it('stops without credentials, naming how to make one', () => {
    expect(problemsOf({})).toEqual([
      expect.stringMatching(/^CAIRN_INTAKE_TOKENS: no sender credentials configured/),
    ]);
  });

  it('refuses a body limit ingest would dead-letter, and plain HTTP on a reachable address', () => {
    expect(
      problemsOf({
        CAIRN_INTAKE_TOKENS: TOKENS,
        CAIRN_INTAKE_MAX_BODY_BYTES: String(8 * 1024 * 1024),
        CAIRN_MAX_MESSAGE_BYTES: String(4 * 1024 * 1024),
        CAIRN_INTAKE_HOST: '0.0.0.0',
      }),
    ).toEqual([
      expect.stringMatching(/^CAIRN_INTAKE_HOST: 0\.0\.0\.0 is reachable from other machines; serve HTTPS/),
      expect.stringMatching(/^CAIRN_INTAKE_MAX_BODY_BYTES: 8388608 exceeds CAIRN_MAX_MESSAGE_BYTES/),
    ]);
  });

  it('needs a client CA for credentials by certificate subject', () => {
    const bySubject = JSON.stringify([{ name: 'falco', source: 'falco', cluster: 'c', subject: 'CN=falco' }]);
    expect(problemsOf({ CAIRN_INTAKE_TOKENS: bySubject })).toEqual([
      'CAIRN_INTAKE_TOKENS[0].subject: client certificates need HTTPS with CAIRN_INTAKE_TLS_CLIENT_CA_FILE',
    ]);
  });
});
