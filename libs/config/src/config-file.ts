import { readFileSync } from 'node:fs';
import { parse } from 'yaml';

/** Parses its section of the file's text, adding what is wrong to `problems` (without the file's name). */
export type SectionParser<T> = (text: string, problems: string[]) => T;

/**
 * CAIRN_CONFIG: one YAML file whose sections (compliance:, feed:, legalHolds: ...) belong to the
 * feature libraries that parse them; this knows none of them. It reads the file once and reports
 * what concerns the whole file (unreadable, not YAML, not a mapping) itself, so a process that
 * reads only one section still names a broken file; a section's problems come back prefixed with
 * the file's name, since the operator has to find them there.
 */
export class ConfigFile {
  private constructor(
    readonly path: string | undefined,
    private readonly text: string | undefined,
  ) {}

  static read(path: string | undefined, problems: string[]): ConfigFile {
    if (path === undefined) return new ConfigFile(undefined, undefined);
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      problems.push(
        `CAIRN_CONFIG: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
      );
      return new ConfigFile(path, undefined);
    }
    const wrong = wholeFileProblem(text);
    if (wrong) {
      problems.push(`CAIRN_CONFIG (${path}): ${wrong}`);
      return new ConfigFile(path, undefined);
    }
    return new ConfigFile(path, text);
  }

  /** The section its owner parses; `fallback` without a file, or with one that could not be read. */
  section<T>(parseSection: SectionParser<T>, fallback: T, problems: string[]): T {
    if (this.text === undefined) return fallback;
    const found: string[] = [];
    const value = parseSection(this.text, found);
    problems.push(...found.map((problem) => `CAIRN_CONFIG (${this.path}): ${problem}`));
    return value;
  }
}

function wholeFileProblem(text: string): string | undefined {
  let document: unknown;
  try {
    // Aliases off: a small file must not expand into a huge one (billion laughs).
    document = parse(text, { maxAliasCount: 0 });
  } catch (error) {
    return `not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`;
  }
  const mapping = typeof document === 'object' && document !== null && !Array.isArray(document);
  if (document !== null && document !== undefined && !mapping) {
    return 'the file must hold a mapping of sections (compliance:, feed:, legalHolds:)';
  }
  return undefined;
}
