/** What a command is given: its own arguments, a place for progress, and how it was asked to answer. */
export interface CommandContext {
  readonly args: readonly string[];
  /** Progress and notes for people, on stderr. */
  readonly log: (line: string) => void;
  /** Stdin, for commands that read lines from it. */
  readonly stdin: NodeJS.ReadableStream & { readonly isTTY?: boolean };
}

export interface CommandResult {
  /** Printed as one JSON line with --json or when stdout is not a terminal. */
  readonly output: unknown;
  /** Printed instead on a terminal; the JSON when absent. */
  readonly text?: string;
  /** Nothing more on stdout: the command wrote its results there itself (an export to stdout). */
  readonly silent?: boolean;
  /** 0 done, 1 failures found (findings, failed items). */
  readonly code: 0 | 1;
}

/** One `cairn <name>` subcommand: its help and its work (which lives in the libraries). */
export interface CliCommand {
  readonly name: string;
  /** One line for `cairn --help`. */
  readonly summary: string;
  /** `cairn <name> --help`: usage lines, options, what it prints. */
  readonly help: string;
  readonly run: (context: CommandContext) => Promise<CommandResult>;
}
