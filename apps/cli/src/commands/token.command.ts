import { createHash, randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { API_ROLES } from '@cairn/api-policy';
import { INTAKE_SOURCES, isIntakeSourceName } from '@cairn/intake';
import { UsageError } from '../usage-error';
import type { CliCommand, CommandResult } from './cli-command';

const HELP = `usage: cairn token api <name> <${API_ROLES.join('|')}>
       cairn token intake <name> <source> <cluster or registry name>

A new random token and the configuration entry that grants it: for the API (CAIRN_API_TOKENS) or
for one webhook sender (CAIRN_INTAKE_TOKENS; sources: ${Object.keys(INTAKE_SOURCES).join(', ')}).
Only the entry's SHA-256 goes into configuration; the token is shown once and never stored.`;

function newToken(prefix: string): { token: string; sha256: string } {
  const token = `${prefix}${randomBytes(32).toString('base64url')}`;
  return { token, sha256: createHash('sha256').update(token).digest('hex') };
}

export const tokenCommand: CliCommand = {
  name: 'token',
  summary: 'a new API or intake credential (token shown once, its hash for the configuration)',
  help: HELP,
  run: ({ args }) => Promise.resolve(args).then(madeToken),
};

/** The token and its entry (a refusal as a UsageError, delivered as the run's rejection). */
function madeToken(args: readonly string[]): CommandResult {
  const { positionals } = parseArgs({ args: [...args], allowPositionals: true, strict: true });
  // `token <name> <role>` (the old script's form) is still an API token.
  const legacy = positionals.length === 2 && (API_ROLES as readonly string[]).includes(positionals[1]);
  const [kind, name, ...rest] = legacy ? ['api', ...positionals] : positionals;
  if (!name || !/^[A-Za-z0-9._-]{1,100}$/.test(name))
    throw new UsageError('token: give a name of letters, digits, ".", "_" or "-"');
  let setting: string;
  let entry: Record<string, string>;
  let token: string;
  if (kind === 'api') {
    const [role] = rest;
    if (!(API_ROLES as readonly string[]).includes(role) || rest.length !== 1)
      throw new UsageError(`token api: the role must be one of ${API_ROLES.join(', ')}`);
    const made = newToken('cairn_');
    token = made.token;
    setting = 'CAIRN_API_TOKENS';
    entry = { name, role, sha256: made.sha256 };
  } else if (kind === 'intake') {
    const [source, bound] = rest;
    if (!source || !isIntakeSourceName(source) || !bound || rest.length !== 2)
      throw new UsageError(
        `token intake: give a source (${Object.keys(INTAKE_SOURCES).join(', ')}) and its cluster or registry`,
      );
    const made = newToken('cairn_intake_');
    token = made.token;
    setting = 'CAIRN_INTAKE_TOKENS';
    entry = { name, source, [INTAKE_SOURCES[source].binding]: bound, sha256: made.sha256 };
  } else {
    throw new UsageError('token: say which kind, api or intake');
  }
  return {
    output: { token, setting, entry },
    text: `token (give to ${name}, shown once): ${token}\n${setting} entry: ${JSON.stringify(entry)}`,
    code: 0,
  };
}
