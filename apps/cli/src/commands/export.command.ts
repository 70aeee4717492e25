import { existsSync, readFileSync } from 'node:fs';
import { open, rename, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError } from '@cairn/config';
import { exportPages, ExportRefusedError } from '@cairn/feed';
import { apiAccess } from '../api-access';
import { Progress } from '../progress';
import { UsageError } from '../usage-error';
import type { CliCommand } from './cli-command';

const FORMATS = ['ecs', 'ocsf', 'cef', 'leef', 'hec'];

const HELP = `usage: cairn export --format ecs|ocsf|cef|leef|hec [--out FILE] [--cursor-file FILE | --after CURSOR]
                    [--products P,…] [--source-kinds K,…] [--controls C,…] [--min-severity LEVEL] [--from TIME]
                    [--limit N]

The SIEM feed's pull export (GET /feed/v1/events) from the oldest stored event, or from a cursor,
until caught up: one event per line to FILE (appended) or stdout. With --cursor-file the cursor
after each page is kept there (written once the page is on disk), and a later run resumes from
it: an interrupted export repeats at most its last page, never skips one (event ids dedupe).
The API from CAIRN_API_URL (default http://127.0.0.1:4000), a siem or admin token from
CAIRN_TOKEN or CAIRN_TOKEN_FILE, its CA (for HTTPS) from CAIRN_API_CA_FILE.`;

/** Replaces the cursor file whole (write, then rename), so a crash leaves the old cursor or the new one. */
async function keepCursor(file: string, cursor: string): Promise<void> {
  await writeFile(`${file}.tmp`, `${cursor}\n`, { mode: 0o600 });
  await rename(`${file}.tmp`, file);
}

export const exportCommand: CliCommand = {
  name: 'export',
  summary: 'the SIEM feed to a file or stdout, resumable with its cursor',
  help: HELP,
  run: async ({ args, log }) => {
    const { values, positionals } = parseArgs({
      args: [...args],
      strict: true,
      allowPositionals: true,
      options: {
        format: { type: 'string' },
        out: { type: 'string' },
        'cursor-file': { type: 'string' },
        after: { type: 'string' },
        products: { type: 'string' },
        'source-kinds': { type: 'string' },
        controls: { type: 'string' },
        'min-severity': { type: 'string' },
        from: { type: 'string' },
        limit: { type: 'string' },
      },
    });
    if (positionals.length > 0) throw new UsageError(`export: unexpected ${positionals[0]}`);
    if (!values.format || !FORMATS.includes(values.format))
      throw new UsageError(`export: --format is one of ${FORMATS.join(', ')}`);
    if (values.after !== undefined && values['cursor-file'] !== undefined)
      throw new UsageError('export: --after or --cursor-file, not both');
    const limit = Number(values.limit ?? 5000);
    if (!Number.isInteger(limit) || limit < 1 || limit > 5000)
      throw new UsageError('export: --limit is 1 to 5000');
    const options = apiAccess('siem');
    const cursorFile = values['cursor-file'];
    const resumed =
      cursorFile && existsSync(cursorFile) ? readFileSync(cursorFile, 'utf8').trim() : undefined;
    let cursor = values.after ?? (resumed || undefined);
    const out = values.out ? await open(values.out, 'a') : undefined;
    const progress = new Progress(`export ${values.format}`);
    let events = 0;
    let pages = 0;
    try {
      const query = {
        format: values.format,
        limit,
        filters: {
          products: values.products,
          sourceKinds: values['source-kinds'],
          controls: values.controls,
          minSeverity: values['min-severity'],
          from: values.from,
        },
      };
      for await (const page of exportPages(options, query, cursor)) {
        if (out) {
          await out.write(page.body);
          await out.sync();
        } else if (!process.stdout.write(page.body)) {
          await new Promise((resolve) => process.stdout.once('drain', resolve));
        }
        cursor = page.cursor;
        if (cursorFile) await keepCursor(cursorFile, cursor);
        events += page.events;
        pages += 1;
        progress.update(events, events);
      }
    } catch (error) {
      if (error instanceof ExportRefusedError && (error.status === 401 || error.status === 403))
        throw new ConfigError([`CAIRN_TOKEN: ${error.message}`]);
      throw error;
    } finally {
      await out?.close();
    }
    progress.update(events, events, true);
    log(`export: ${events} event(s) in ${pages} page(s); caught up`);
    const summary = { format: values.format, events, pages, cursor: cursor ?? null, caughtUp: true };
    // Events went to stdout: the summary goes to stderr, so the feed stays pure.
    if (!out) {
      log(JSON.stringify(summary));
      return { output: undefined, silent: true, code: 0 };
    }
    return {
      output: summary,
      text: `${events} event(s) appended to ${values.out}; cursor ${cursor ?? '(none)'}`,
      code: 0,
    };
  },
};
