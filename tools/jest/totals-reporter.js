// A jest reporter that prints "<label>: N passed, N failed" for its run and records the counts,
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
    const line = { label: this.label, passed: results.numPassedTests, failed: results.numFailedTests };
    fs.mkdirSync(path.dirname(TOTALS), { recursive: true });
    fs.appendFileSync(TOTALS, `${JSON.stringify(line)}\n`);
    process.stdout.write(`\n${this.label}: ${line.passed} passed, ${line.failed} failed\n`);
  }
}

module.exports = TotalsReporter;
module.exports.TOTALS = TOTALS;
