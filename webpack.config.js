// Nest's webpack build of each app, plus the integrity verification thread's entry point emitted
// beside main.js (the worker script runs in its own thread and cannot be inside the main bundle).
'use strict';
const { basename, dirname, join, resolve } = require('node:path');

module.exports = (options) => ({
  ...options,
  entry: {
    [basename(options.output.filename, '.js')]: options.entry,
    'chain-verify.worker': resolve(__dirname, 'libs/integrity-store/src/chain-verify.worker.ts'),
  },
  output: { ...options.output, filename: join(dirname(options.output.filename), '[name].js') },
});
