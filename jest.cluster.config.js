/** The cluster suite: ingest and the API on three Kafka brokers and three Elasticsearch nodes. */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: ['<rootDir>/test'],
  testRegex: '\\.cluster-spec\\.ts$',
  // Points the suite's clients and the apps it starts at the cluster, before any test file loads.
  setupFiles: ['<rootDir>/test/cluster/cluster-environment.js'],
  testTimeout: 900000,
  maxWorkers: 1,
  reporters: ['default', ['<rootDir>/tools/jest/totals-reporter.js', { label: 'cluster' }]],
};
