// Nest's webpack build of each app, plus the integrity verification thread's entry point emitted
// beside main.js, and the intake's Kafka thread beside its own (the worker script runs in its own thread and cannot be inside the main bundle).
'use strict';
const { basename, dirname, join, resolve } = require('node:path');

// Nest passes its own webpack: plugins must come from the instance that runs them.
module.exports = (options, webpack) => ({
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
  // The CLI is the package's `cairn` bin: its bundle starts with the interpreter line.
  plugins: [
    ...(options.plugins ?? []),
    ...(String(options.entry).includes('apps/cli')
      ? [
          new webpack.BannerPlugin({
            banner: '#!/usr/bin/env node',
            raw: true,
            entryOnly: true,
            test: /(^|\/)main\.js$/,
          }),
        ]
      : []),
  ],
});
