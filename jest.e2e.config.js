/** End-to-end tests: the built apps against the real Kafka and Elasticsearch of the local stack. */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  testRegex: '\\.e2e-spec\\.ts$',
  testTimeout: 120000,
  maxWorkers: 1,
  reporters: ['default', ['<rootDir>/tools/jest/totals-reporter.js', { label: 'e2e' }]],
};
