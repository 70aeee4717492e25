import type { Client } from '@elastic/elasticsearch';
import type { ElasticsearchConfig } from '@cairn/config';
import type { AuditEventDocument } from '@cairn/event-schema';
import { BulkWriter, installIndexTemplate } from '@cairn/elasticsearch-store';
import type { ChainHead } from '@cairn/integrity';
import { GroupCommit, type AccessAuditLog, type AccessChainOptions } from './group-commit';

/**
 * How long a record may wait in Elasticsearch for a shard that lost its primary: the request it
 * records waits too, so during a failover it is refused (AUDIT_UNAVAILABLE) after this, rather
 * than held for Elasticsearch's default minute.
 */
const ACCESS_RECORD_SHARD_WAIT_MS = 3000;

/**
 * Stores access records beside the events they are about, concurrent requests' records in one
 * bulk, and with a chain, each at the next position of this API process's access chain.
 *
 * The API may be the first to write this month (or at all), so the index template is installed
 * before the first record: an index created without it would take dynamic mappings.
 */
export class AccessAuditWriter {
  private template?: Promise<unknown>;
  private readonly commits: GroupCommit;

  constructor(
    private readonly client: Client,
    private readonly config: ElasticsearchConfig,
    /** Adds compliance tags (an access record evidences PCI DSS 10.2.1.3 and others). */
    private readonly tag: (document: AuditEventDocument) => AuditEventDocument = (document) => document,
    chain?: AccessChainOptions,
    log?: AccessAuditLog,
  ) {
    // Access record ids are random per request: unique by construction, so no identity claim.
    const writer = new BulkWriter(client, config.indexPrefix, {
      claimIdentities: false,
      shardWaitMs: Math.min(ACCESS_RECORD_SHARD_WAIT_MS, config.requestTimeoutMs / 2),
    });
    this.commits = new GroupCommit((documents) => writer.write(documents), chain, log);
  }

  /** The chain's name and its last stored link (seq 0 before the first record). */
  get head(): { chain: string; head: ChainHead } | undefined {
    return this.commits.head;
  }

  /** Resolves once the record is stored; rejects otherwise, so the caller can refuse to answer. */
  async record(document: AuditEventDocument): Promise<void> {
    await this.templateInstalled();
    await this.commits.submit(this.tag(document));
  }

  /** For a record no answer waits on: it shares the next bulk, or goes alone after a moment. */
  async recordLingering(document: AuditEventDocument): Promise<void> {
    await this.templateInstalled();
    await this.commits.submitLingering(this.tag(document));
  }

  private templateInstalled(): Promise<unknown> {
    this.template ??= installIndexTemplate(this.client, this.config).catch((error: unknown) => {
      this.template = undefined;
      throw error;
    });
    return this.template;
  }

  /** Resolves when every record handed in so far has been written or refused (a stop waits for it). */
  drain(): Promise<void> {
    return this.commits.drain();
  }
}
