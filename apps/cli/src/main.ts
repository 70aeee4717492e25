import { ConfigError, loadCommandConfig } from '@cairn/config';
import { retag, UsageError } from './retag.command';
import { retention } from './retention.command';

const USAGE = [
  'usage: cairn retag [--dry-run]                  re-tag stored events with the current catalog and scope',
  '       cairn retention --dry-run | --confirm    delete months past compliance.retention.days (legal holds kept)',
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
};

/** Cairn's commands. Thin: each command's work lives in the libraries. */
async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command !== 'retag' && command !== 'retention') {
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
