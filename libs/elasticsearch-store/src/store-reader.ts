import type { Client } from '@elastic/elasticsearch';
import type { SearchRequest, SearchResponse } from '@elastic/elasticsearch/lib/api/types';
import { readAlias } from './index-names';

export interface SearchOptions {
  /** Per Elasticsearch request; the client gives up (and ES cancels the search) after it. */
  readonly timeoutMs?: number;
}

/** What every reader of the stored events shares: the monthly indices behind one alias, a timeout. */
export abstract class StoreReader {
  protected readonly transport: { requestTimeout?: number };

  constructor(
    protected readonly client: Client,
    protected readonly indexPrefix: string,
    options: SearchOptions = {},
  ) {
    this.transport = options.timeoutMs ? { requestTimeout: options.timeoutMs } : {};
  }

  /** A search over every month, answering empty rather than failing before any index exists. */
  protected searchAll<T = unknown>(request: Omit<SearchRequest, 'index'>): Promise<SearchResponse<T>> {
    return this.client.search<T>(
      { index: readAlias(this.indexPrefix), ignore_unavailable: true, allow_no_indices: true, ...request },
      this.transport,
    );
  }
}
