import { ConfigError } from '@cairn/config';
import { COMMANDS } from './commands';
import { UsageError } from './usage-error';

/** Exit statuses, as the README documents them. */
const EXIT = { done: 0, failures: 1, usage: 2, configuration: 78 } as const;

function overview(): string {
  const width = Math.max(...COMMANDS.map((command) => command.name.length));
  return [
    'usage: cairn <command> [options]      cairn <command> --help',
    '',
    ...COMMANDS.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`),
    '',
    'Results: text on a terminal, one JSON line otherwise or with --json. Progress on stderr.',
    'Exit: 0 done, 1 failures found, 2 usage, 78 configuration. Settings from the environment (README).',
  ].join('\n');
}

function print(result: { output: unknown; text?: string; silent?: boolean }, json: boolean): void {
  if (result.silent) return;
  if (json || !process.stdout.isTTY || result.text === undefined)
    process.stdout.write(`${JSON.stringify(result.output)}\n`);
  else process.stdout.write(`${result.text}\n`);
}

/** Cairn's commands. Thin: each command's work lives in the libraries. */
async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? COMMANDS.find((command) => command.name === rest[0]) : undefined;
    process.stdout.write(`${topic ? topic.help : overview()}\n`);
    return name === undefined ? EXIT.usage : EXIT.done;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    process.stderr.write(`cairn: no command ${name}\n${overview()}\n`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    process.stdout.write(`${command.help}\n`);
    return EXIT.done;
  }
  const json = rest.includes('--json');
  const args = rest.filter((arg) => arg !== '--json');
  try {
    const result = await command.run({
      args,
      log: (line) => process.stderr.write(`${line}\n`),
      stdin: process.stdin,
    });
    print(result, json);
    return result.code;
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      return EXIT.configuration;
    }
    // parseArgs refuses unknown options and missing values with codes of its own.
    const code = (error as { code?: string }).code;
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`${(error as Error).message}\n\n${command.help}\n`);
      return EXIT.usage;
    }
    throw error;
  }
}

// `cairn dlq list | head` closes the pipe early; that is not a failure.
process.stdout.on('error', (error: NodeJS.ErrnoException) => process.exit(error.code === 'EPIPE' ? 0 : 1));

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `cairn ${process.argv[2] ?? ''} failed: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(EXIT.failures);
  },
);
