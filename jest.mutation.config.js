/**
 * The unit tests that judge the mutants of `npm run test:mutation` (stryker.config.json): the
 * same deterministic tests as jest.config.js for the code under mutation, compiled without type checks, since
 * Stryker's mutants are not meant to type-check and a type error is not a test that noticed.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  roots: [
    '<rootDir>/libs/normalizers',
    '<rootDir>/libs/compliance',
    '<rootDir>/libs/elasticsearch-store',
    '<rootDir>/apps/api/src/investigations',
  ],
  // The property tests draw new inputs each run, so a mutant they kill once may survive the next:
  // the score is measured on the deterministic tests alone.
  testPathIgnorePatterns: ['/node_modules/', '\\.property\\.spec\\.ts$'],
  transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true, diagnostics: false }] },
  reporters: ['default'],
};
