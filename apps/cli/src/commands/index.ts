import { loadCommandConfig } from '../config/command-config';
import type { CliCommand } from './cli-command';
import { dlqCommand } from './dlq.command';
import { exportCommand } from './export.command';
import { integrityKey } from './integrity-key.command';
import { produceCommand } from './produce.command';
import { reportCommand } from './report.command';
import { retag } from './retag.command';
import { retention } from './retention.command';
import { tokenCommand } from './token.command';
import { verify } from './verify.command';

export type { CliCommand, CommandContext, CommandResult } from './cli-command';

const retagCommand: CliCommand = {
  name: 'retag',
  summary: 're-tag stored events with the current compliance catalog and scope',
  help: `usage: cairn retag [--dry-run]

Brings every stored event's compliance tags (cairn.compliance) to the current catalog and the
scope in CAIRN_CONFIG; --dry-run counts what would change. Exit 1 when an event failed.`,
  run: async ({ args, log }) => {
    const totals = await retag(loadCommandConfig(), args, log);
    return { output: totals, code: totals.failed > 0 ? 1 : 0 };
  },
};

const retentionCommand: CliCommand = {
  name: 'retention',
  summary: 'delete months past compliance.retention.days (legal holds kept)',
  help: `usage: cairn retention --dry-run | --confirm

Deletes the monthly indices older than compliance.retention.days (CAIRN_CONFIG), except those
holding an event on legal hold, after signing a retention statement for each of their chains.
It must be told which of the two it is to do: deleting audit history is never a default.`,
  run: async ({ args, log }) => ({ output: await retention(loadCommandConfig(), args, log), code: 0 }),
};

const verifyCommand: CliCommand = {
  name: 'verify',
  summary: 'check the hash chains against the signed checkpoints (exit 1: findings)',
  help: `usage: cairn verify [--from DATE] [--to DATE]

Recomputes every stored event's hash and link and checks each chain against the signed
checkpoints (log and index). Progress on stderr; the report on stdout; exit 1 when anything was found.`,
  run: async ({ args }) => {
    const report = await verify(loadCommandConfig(), args);
    return { output: report, code: report.ok ? 0 : 1 };
  },
};

const integrityKeyCommand: CliCommand = {
  name: 'integrity-key',
  summary: 'a new checkpoint signing key, or the public key of CAIRN_INTEGRITY_KEY_FILE',
  help: `usage: cairn integrity-key --out FILE | --public

--out FILE: a new Ed25519 signing key for CAIRN_INTEGRITY_KEY_FILE (never over an existing file).
--public: the public key and key id of CAIRN_INTEGRITY_KEY_FILE, for the verifiers' CAIRN_INTEGRITY_PUBLIC_KEY_FILE.`,
  run: ({ args }) => Promise.resolve({ output: integrityKey(args), code: 0 }),
};

/** Every subcommand of `cairn`, in the order `cairn --help` lists them. */
export const COMMANDS: readonly CliCommand[] = [
  tokenCommand,
  produceCommand,
  dlqCommand,
  exportCommand,
  reportCommand,
  retagCommand,
  retentionCommand,
  verifyCommand,
  integrityKeyCommand,
];
