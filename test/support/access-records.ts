import { elasticsearch, eventually } from './local-stack';

export interface StoredAccessRecord {
  readonly event: { action: string; outcome: string };
  readonly http?: { request?: { id?: string } };
  readonly user?: { name?: string };
  readonly source?: { ip?: string[] };
  readonly cairn: {
    api: {
      route?: string;
      operation?: string;
      query_sha256?: string;
      error_code?: string;
      result_count?: number;
    };
  };
}

/** The records of a request's outcome (answered or refused); an authorized one also has a received record. */
export const OUTCOME_ACTIONS = ['cairn.query', 'cairn.auth_failure'];

/**
 * The access records of requests sent with this User-Agent, once `count` of them are stored;
 * waits a moment longer so that a second record of one request would be seen too.
 */
export async function accessRecordsOf(
  indexPrefix: string,
  userAgent: string,
  count = 1,
  actions: readonly string[] = OUTCOME_ACTIONS,
): Promise<StoredAccessRecord[]> {
  const client = elasticsearch();
  const search = () => storedNow(client, indexPrefix, userAgent, actions);
  try {
    await eventually(
      async () => ((await search()).length >= count ? true : undefined),
      `${count} access records`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    return await search();
  } finally {
    await client.close();
  }
}

/** The records of these actions stored at this moment, without waiting for more. */
export async function accessRecordsStoredNow(
  indexPrefix: string,
  userAgent: string,
  actions: readonly string[],
): Promise<StoredAccessRecord[]> {
  const client = elasticsearch();
  try {
    return await storedNow(client, indexPrefix, userAgent, actions);
  } finally {
    await client.close();
  }
}

async function storedNow(
  client: ReturnType<typeof elasticsearch>,
  indexPrefix: string,
  userAgent: string,
  actions: readonly string[],
): Promise<StoredAccessRecord[]> {
  await client.indices.refresh({ index: `${indexPrefix}-*` });
  const found = await client.search<StoredAccessRecord>({
    index: `${indexPrefix}-*`,
    query: {
      bool: {
        filter: [{ term: { 'user_agent.original': userAgent } }, { terms: { 'event.action': [...actions] } }],
      },
    },
    size: 20,
  });
  return found.hits.hits.map((hit) => hit._source!);
}

/**
 * Waits until `count` outcome records of this caller are stored: an authorized request's outcome
 * record follows its answer (within about 0.2 s), so a test that counts them right after the
 * answers must wait for them first.
 */
export async function outcomeRecordsStored(
  indexPrefix: string,
  userName: string,
  count: number,
): Promise<void> {
  const client = elasticsearch();
  try {
    await eventually(async () => {
      await client.indices.refresh({ index: `${indexPrefix}-*` });
      const found = await client.count({
        index: `${indexPrefix}-*`,
        query: {
          bool: {
            filter: [{ term: { 'user.name': userName } }, { terms: { 'event.action': OUTCOME_ACTIONS } }],
          },
        },
      });
      return found.count >= count ? true : undefined;
    }, `${count} outcome records of ${userName}`);
  } finally {
    await client.close();
  }
}

/**
 * Waits until every authorized request recorded as received under this prefix has its outcome
 * record stored too: outcome records follow their answers, so a test that reads the store whole
 * right after its last request (a re-tag, a verification) waits for them first.
 */
export async function everyOutcomeRecordStored(indexPrefix: string): Promise<void> {
  const client = elasticsearch();
  const idsOf = async (action: string) => {
    await client.indices.refresh({ index: `${indexPrefix}-*` });
    const found = await client.search<{ http?: { request?: { id?: string } } }>({
      index: `${indexPrefix}-*`,
      query: { term: { 'event.action': action } },
      _source: ['http.request.id'],
      size: 10_000,
    });
    return new Set(found.hits.hits.map((hit) => hit._source?.http?.request?.id));
  };
  try {
    await eventually(async () => {
      const received = await idsOf('cairn.query_received');
      const outcomes = await idsOf('cairn.query');
      return [...received].every((id) => outcomes.has(id)) ? true : undefined;
    }, 'an outcome record for every received one');
  } finally {
    await client.close();
  }
}
