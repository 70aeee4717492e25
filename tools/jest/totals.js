#!/usr/bin/env node
// `totals.js --reset` forgets earlier counts; `totals.js` prints the sum of the runs since.
'use strict';
const fs = require('node:fs');
const { TOTALS } = require('./totals-reporter');

if (process.argv.includes('--reset')) {
  fs.rmSync(TOTALS, { force: true });
  process.exit(0);
}
const runs = fs.existsSync(TOTALS)
  ? fs
      .readFileSync(TOTALS, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line))
  : [];
const passed = runs.reduce((sum, run) => sum + run.passed, 0);
const failed = runs.reduce((sum, run) => sum + run.failed, 0);
const skipped = runs.reduce((sum, run) => sum + (run.skipped ?? 0), 0);
// Skipped tests are said, never hidden (the shared-fixtures conformance test skips without ../shared).
process.stdout.write(
  `\ntotal: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ''}\n`,
);
process.exit(failed > 0 || runs.length === 0 ? 1 : 0);
