import { ConfigError, loadCommandConfig } from '@cairn/config';
import { integrityKey } from './integrity-key.command';
import { retag } from './retag.command';
import { retention } from './retention.command';
import { UsageError } from './usage-error';
import { verify } from './verify.command';

const USAGE = [
  'usage: cairn retag [--dry-run]                  re-tag stored events with the current catalog and scope',
  '       cairn retention --dry-run | --confirm    delete months past compliance.retention.days (legal holds kept)',
  '       cairn verify [--from DATE] [--to DATE]   check the hash chains against the signed checkpoints (exit 1: findings)',
  '       cairn integrity-key --out FILE | --public  a new checkpoint signing key, or the public key of CAIRN_INTEGRITY_KEY_FILE',
  '(settings from the environment, scope and legal holds from CAIRN_CONFIG)',
].join('\n');

const COMMANDS = {
  retag: async (args: readonly string[], log: (line: string) => void) => {
    const totals = await retag(loadCommandConfig(), args, log);
    return { output: totals, code: totals.failed > 0 ? 1 : 0 };
  },
  retention: async (args: readonly string[], log: (line: string) => void) => ({
    output: await retention(loadCommandConfig(), args, log),
    code: 0,
  }),
  verify: async (args: readonly string[]) => {
    const report = await verify(loadCommandConfig(), args);
    return { output: report, code: report.ok ? 0 : 1 };
  },
  'integrity-key': (args: readonly string[]) => Promise.resolve({ output: integrityKey(args), code: 0 }),
};

const isCommand = (name: string | undefined): name is keyof typeof COMMANDS =>
  name !== undefined && Object.prototype.hasOwnProperty.call(COMMANDS, name);

/** Cairn's commands. Thin: each command's work lives in the libraries. */
async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  if (!isCommand(command)) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    const { output, code } = await COMMANDS[command](args, (line) => process.stderr.write(`${line}\n`));
    process.stdout.write(`${JSON.stringify(output)}\n`);
    return code;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return 78; // EX_CONFIG
    }
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    throw error;
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `${process.argv[2] ?? 'cairn'} failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
