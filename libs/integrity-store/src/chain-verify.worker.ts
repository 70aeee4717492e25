import { parentPort, workerData } from 'node:worker_threads';
import { createElasticsearchClient, searchFailureOf } from '@cairn/elasticsearch-store';
import { verifyChain } from './chain-scan';
import type { ChainWorkerData, FromChainWorker, ToChainWorker } from './chain-workers';

/** A verification thread's entry point (built as its own file): verifies the chains it is given, one at a time. */
const { elasticsearch } = workerData as ChainWorkerData;
const client = createElasticsearchClient(elasticsearch);
const port = parentPort!;
const send = (message: FromChainWorker) => port.postMessage(message);

port.on('message', ({ plan, rules }: ToChainWorker) => {
  verifyChain(client, plan, rules, (events) => send({ kind: 'read', events })).then(
    (result) => send({ kind: 'done', result }),
    (error: unknown) =>
      send({
        kind: 'failed',
        message: error instanceof Error ? error.message : String(error),
        failure: searchFailureOf(error),
      }),
  );
});
