import { createHash } from 'node:crypto';
import { UsageError } from '../usage-error';
import { messagesOfFile } from './produce.command';
import { tokenCommand } from './token.command';

const context = (args: string[]) => ({ args, log: () => undefined, stdin: process.stdin });
const sha = (token: string) => createHash('sha256').update(token).digest('hex');

describe('cairn token', () => {
  it('makes an API token whose entry holds its SHA-256 only', async () => {
    const { output } = await tokenCommand.run(context(['api', 'alice', 'investigator']));
    const { token, setting, entry } = output as {
      token: string;
      setting: string;
      entry: Record<string, string>;
    };
    expect(setting).toBe('CAIRN_API_TOKENS');
    expect(entry).toEqual({ name: 'alice', role: 'investigator', sha256: sha(token) });
    expect(JSON.stringify(entry)).not.toContain(token);
  });

  it("binds an intake sender to its source's cluster or registry", async () => {
    const falco = (await tokenCommand.run(context(['intake', 'edge', 'falco', 'prod-eu']))).output as {
      entry: Record<string, string>;
    };
    expect(falco.entry).toMatchObject({ name: 'edge', source: 'falco', cluster: 'prod-eu' });
    const harbor = (await tokenCommand.run(context(['intake', 'hub', 'harbor', 'harbor.example.com'])))
      .output as {
      entry: Record<string, string>;
    };
    expect(harbor.entry).toMatchObject({ source: 'harbor', registry: 'harbor.example.com' });
  });

  it("still reads the old script's `<name> <role>`, and refuses what it cannot make", async () => {
    expect(
      ((await tokenCommand.run(context(['bob', 'siem']))).output as { entry: { role: string } }).entry.role,
    ).toBe('siem');
    for (const args of [
      ['api', 'bob', 'root'],
      ['intake', 'x', 'syslog', 'c'],
      ['intake', 'x', 'falco'],
      ['nope'],
      [],
    ]) {
      await expect(tokenCommand.run(context(args))).rejects.toBeInstanceOf(UsageError);
    }
  });
});

describe('cairn produce: what a file becomes', () => {
  it('one message for a JSON document over many lines, one per line for JSON lines', () => {
    expect(messagesOfFile('{\n  "kind": "Event"\n}\n')).toEqual(['{\n  "kind": "Event"\n}\n']);
    expect(messagesOfFile('{"a":1}\n{"b":2}\n\n')).toEqual(['{"a":1}', '{"b":2}']);
    expect(messagesOfFile('ctr line one\nctr line two')).toEqual(['ctr line one\nctr line two']);
    expect(messagesOfFile(' \n\n')).toEqual([]);
  });
});
