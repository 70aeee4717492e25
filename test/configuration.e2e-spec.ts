import { runUntilExit } from './support/app-process';
import { newToken } from './support/graphql-client';

const tokens = JSON.stringify([newToken('config-test', 'admin').entry]);

describe('a bad setting stops the process with a message naming it', () => {
  it.each(['api', 'ingest'] as const)(
    '%s: empty KAFKA_BROKERS and a malformed ELASTICSEARCH_URL',
    async (app) => {
      const result = await runUntilExit(app, {
        KAFKA_BROKERS: '',
        ELASTICSEARCH_URL: 'not-a-url',
        CAIRN_API_TOKENS: tokens,
      });
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/^\s+- KAFKA_BROKERS: /m);
      expect(result.stderr).toMatch(/^\s+- ELASTICSEARCH_URL: /m);
    },
  );

  it('api: no API tokens configured', async () => {
    const result = await runUntilExit('api', {});
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/CAIRN_API_TOKENS: no API tokens configured/);
  });
});
