import { ConfigError } from '@cairn/config';

/** What a configuration loader refused, each problem as the process would print it; [] when it loaded. */
export function configProblems(load: () => unknown): string[] {
  try {
    load();
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}
