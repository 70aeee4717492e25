import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';

export interface ConsoleFile {
  readonly body: Buffer;
  readonly contentType: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
};

/** A file name the console may be asked for: one flat folder, no path, no hidden files. */
const SERVABLE = /^[a-z0-9][a-z0-9.-]*$/;

/**
 * The console's built files (`npm run build` writes them to dist/console), read once at start-up:
 * what can be served is fixed then, so no request's path ever reaches the file system.
 */
export class ConsoleFiles {
  private constructor(
    private readonly files: ReadonlyMap<string, ConsoleFile>,
    readonly directory: string,
  ) {}

  static load(directory: string): ConsoleFiles {
    const files = new Map<string, ConsoleFile>();
    if (existsSync(directory)) {
      for (const name of readdirSync(directory)) {
        const contentType = CONTENT_TYPES[extname(name)];
        const path = join(directory, name);
        if (!SERVABLE.test(name) || !contentType || !statSync(path).isFile()) continue;
        files.set(name, { body: readFileSync(path), contentType });
      }
    }
    return new ConsoleFiles(files, directory);
  }

  get built(): boolean {
    return this.files.has('index.html');
  }

  file(name: string): ConsoleFile | undefined {
    return SERVABLE.test(name) ? this.files.get(name) : undefined;
  }
}
