// A stand-in verification thread for chain-workers.spec.ts (the real one needs a build and a
// store): answers each plan by its chain name. "fail:<failure>" fails like a store error would,
// "exit" ends the thread mid-chain; anything else reports `count` events read, then a summary.
'use strict';
const { parentPort, threadId } = require('node:worker_threads');

parentPort.on('message', ({ plan, rules }) => {
  if (plan.chain === 'exit') process.exit(3);
  if (plan.chain.startsWith('fail:')) {
    const failure = plan.chain.slice('fail:'.length) || undefined;
    parentPort.postMessage({ kind: 'failed', message: `cannot read ${plan.chain}`, failure });
    return;
  }
  parentPort.postMessage({ kind: 'read', events: plan.count });
  setTimeout(
    () => {
      parentPort.postMessage({
        kind: 'done',
        result: {
          summary: {
            chain: plan.chain,
            verified: plan.count,
            thread: threadId,
            keys: rules.trustedKeys.size,
          },
          findings: [],
        },
      });
    },
    5 * (plan.count % 4),
  );
});
