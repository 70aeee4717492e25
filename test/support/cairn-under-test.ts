import type { Admin, Producer } from 'kafkajs';
import { expectOrderlyStop, freePort, startApp, type RunningApp } from './app-process';
import { appEnvironment, eventually, kafka, removeIsolated, type IsolatedNames } from './local-stack';

/** Both apps on isolated topics and indices, with a producer and an admin client for the test. */
export interface CairnUnderTest {
  readonly ingest: RunningApp;
  readonly api: RunningApp;
  readonly producer: Producer;
  readonly admin: Admin;
  stop(): Promise<void>;
}

export async function startCairn(
  names: IsolatedNames,
  extraEnv: Record<string, string>,
): Promise<CairnUnderTest> {
  const env = { ...appEnvironment(names), ...extraEnv };
  const ingest = await startApp('ingest', env, await freePort());
  const api = await startApp('api', env, await freePort());
  const producer = kafka().producer();
  await producer.connect();
  const admin = kafka().admin();
  await admin.connect();
  // Ingest creates its topics at start-up; the test produces only once they exist.
  await eventually(
    async () => ((await admin.listTopics()).includes(names.topics.orchestrator) ? true : undefined),
    'ingest to create its topics',
  );
  return {
    ingest,
    api,
    producer,
    admin,
    stop: async () => {
      await producer.disconnect();
      await admin.disconnect();
      const stopped = await Promise.all([api.stop(), ingest.stop()]);
      await removeIsolated(names);
      stopped.forEach((ended) => expectOrderlyStop(ended));
    },
  };
}
