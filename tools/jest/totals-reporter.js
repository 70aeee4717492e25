// A jest reporter that prints "<label>: N passed, N failed[, N skipped]" for its run and records the counts,
// so `npm test` can close with one total over the unit and end-to-end runs (see totals.js).
'use strict';
const fs = require('node:fs');
const path = require('node:path');

const TOTALS = path.join(__dirname, '..', '..', '.cairn', 'test-totals.jsonl');

class TotalsReporter {
  constructor(_globalConfig, options = {}) {
    this.label = options.label || 'jest';
  }

  onRunComplete(_contexts, results) {
    const line = {
      label: this.label,
      passed: results.numPassedTests,
      // A suite that fails to compile runs no test: it counts as a failure, not as nothing.
      failed: results.numFailedTests + results.numRuntimeErrorTestSuites,
      skipped: results.numPendingTests + results.numTodoTests,
    };
    fs.mkdirSync(path.dirname(TOTALS), { recursive: true });
    fs.appendFileSync(TOTALS, `${JSON.stringify(line)}\n`);
    const skipped = line.skipped > 0 ? `, ${line.skipped} skipped` : '';
    process.stdout.write(`\n${this.label}: ${line.passed} passed, ${line.failed} failed${skipped}\n`);
  }
}

module.exports = TotalsReporter;
module.exports.TOTALS = TOTALS;
