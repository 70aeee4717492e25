import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadFeedAppConfig } from './feed-app-config';
import { configProblems } from '../../../../test/support/config-problems';

const dir = mkdtempSync(join(tmpdir(), 'cairn-feed-app-'));
const fileWith = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

const HEC_FEED = `feeds:
  - name: splunk
    transport: hec
    hec: { url: 'https://splunk.example:8088/', tokenEnv: SPLUNK_HEC_TOKEN }
`;

describe('loadFeedAppConfig', () => {
  it("reads the push feeds and each HEC feed's token from the variable it names, or that variable's file", () => {
    const path = fileWith('hec.yaml', HEC_FEED);
    const config = loadFeedAppConfig({ CAIRN_CONFIG: path, SPLUNK_HEC_TOKEN: 'token-1' });
    expect(config.feed.pushes.map((push) => push.name)).toEqual(['splunk']);
    // Push feeds read the ecs topic, so it is written whenever one exists.
    expect(config.feed.formats).toEqual(['ecs']);
    expect(config.hecTokens).toEqual({ splunk: 'token-1' });
    const tokenFile = fileWith('token', 'token-2\n');
    expect(loadFeedAppConfig({ CAIRN_CONFIG: path, SPLUNK_HEC_TOKEN_FILE: tokenFile }).hecTokens).toEqual({
      splunk: 'token-2',
    });
  });

  it('names the missing token by its variable', () => {
    expect(
      configProblems(() => loadFeedAppConfig({ CAIRN_CONFIG: fileWith('hec2.yaml', HEC_FEED) })),
    ).toEqual(['SPLUNK_HEC_TOKEN: the HEC token of feed splunk is not set (or SPLUNK_HEC_TOKEN_FILE)']);
  });

  it('needs a file with feeds, and names a broken or unreadable file once, not as an empty list too', () => {
    expect(configProblems(() => loadFeedAppConfig({}))).toEqual([
      'CAIRN_CONFIG: the feed process needs a config file with a feeds: list',
    ]);
    expect(
      configProblems(() => loadFeedAppConfig({ CAIRN_CONFIG: fileWith('empty.yaml', 'feed: {}\n') })),
    ).toEqual([expect.stringMatching(/^CAIRN_CONFIG \(.*empty\.yaml\): feeds: no push feeds configured/)]);
    expect(
      configProblems(() => loadFeedAppConfig({ CAIRN_CONFIG: fileWith('broken.yaml', 'feeds: [\n') })),
    ).toEqual([expect.stringMatching(/^CAIRN_CONFIG \(.*broken\.yaml\): not valid YAML/)]);
    expect(configProblems(() => loadFeedAppConfig({ CAIRN_CONFIG: join(dir, 'missing.yaml') }))).toEqual([
      expect.stringMatching(/^CAIRN_CONFIG: cannot read .*missing\.yaml \(ENOENT\)$/),
    ]);
  });
});
