import { ConfigError, loadCommandConfig } from '@cairn/config';
import { retag, UsageError } from './retag.command';

const USAGE = 'usage: cairn retag [--dry-run]   (settings from the environment, scope from CAIRN_CONFIG)';

/** Cairn's commands. Thin: each command's work lives in the libraries. */
async function main(argv: readonly string[]): Promise<number> {
  const [command, ...args] = argv;
  if (command !== 'retag') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  try {
    const totals = await retag(loadCommandConfig(), args, (line) => process.stderr.write(`${line}\n`));
    process.stdout.write(`${JSON.stringify(totals)}\n`);
    return totals.failed > 0 ? 1 : 0;
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
    process.stderr.write(`retag failed: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
