/** A configuration that cannot run: every offending setting is named, so one restart fixes them all. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** How every Cairn process ends when it cannot start: one readable message, exit status 1. */
export function exitOnStartupFailure(app: string, error: unknown): never {
  if (error instanceof ConfigError) console.error(`${app}: ${error.message}`);
  else console.error(`${app}: failed to start:`, error);
  process.exit(1);
}
