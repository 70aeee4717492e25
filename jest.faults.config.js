/** Fault tests: the built ingest app under kill -9, outages and rebalances, against the real stack. */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  testRegex: '\\.faults-spec\\.ts$',
  testTimeout: 600000,
  maxWorkers: 1,
  reporters: ['default', ['<rootDir>/tools/jest/totals-reporter.js', { label: 'faults' }]],
};
