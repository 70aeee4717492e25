// Nest's webpack build of each app, plus the integrity verification thread's entry point emitted
// beside main.js, and the intake's Kafka thread beside its own (the worker script runs in its own thread and cannot be inside the main bundle).
'use strict';
const { basename, dirname, join, resolve } = require('node:path');

module.exports = (options) => ({
  ...options,
  entry: {
    [basename(options.output.filename, '.js')]: options.entry,
    'chain-verify.worker': resolve(__dirname, 'libs/integrity-store/src/chain-verify.worker.ts'),
    // The intake's Kafka thread (apps/intake/src/kafka-thread).
    ...(String(options.entry).includes('apps/intake') && {
      'kafka-send.worker': resolve(__dirname, 'apps/intake/src/kafka-thread/kafka-send.worker.ts'),
    }),
  },
  output: { ...options.output, filename: join(dirname(options.output.filename), '[name].js') },
});
