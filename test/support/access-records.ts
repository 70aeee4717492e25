import { elasticsearch, eventually } from './local-stack';

export interface StoredAccessRecord {
  readonly event: { action: string; outcome: string };
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

/**
 * The access records of requests sent with this User-Agent, once `count` of them are stored;
 * waits a moment longer so that a second record of one request would be seen too.
 */
export async function accessRecordsOf(
  indexPrefix: string,
  userAgent: string,
  count = 1,
): Promise<StoredAccessRecord[]> {
  const client = elasticsearch();
  const search = async () => {
    await client.indices.refresh({ index: `${indexPrefix}-*` });
    const found = await client.search<StoredAccessRecord>({
      index: `${indexPrefix}-*`,
      query: { term: { 'user_agent.original': userAgent } },
      size: 20,
    });
    return found.hits.hits.map((hit) => hit._source!);
  };
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
