import type { Client } from '@elastic/elasticsearch';
import type { SearchRequest, SearchResponse } from '@elastic/elasticsearch/lib/api/types';
import { indicesFor } from './index-names';
import { WHOLE_ANSWER } from './whole-answers';

/** The part of a filter that decides which monthly indices a search reads. */
export interface TimeRange {
  readonly from?: Date;
  readonly to?: Date;
}

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

  /**
   * A search over the months `range` can touch (every month without a start), answering empty
   * rather than failing where an index does not exist.
   */
  protected searchAll<T = unknown>(
    request: Omit<SearchRequest, 'index'>,
    range: TimeRange = {},
  ): Promise<SearchResponse<T>> {
    return this.client.search<T>(
      {
        index: this.indicesFor(range),
        ignore_unavailable: true,
        allow_no_indices: true,
        ...WHOLE_ANSWER,
        ...request,
      },
      this.transport,
    );
  }

  protected indicesFor(range: TimeRange): string {
    return indicesFor(this.indexPrefix, range);
  }
}
