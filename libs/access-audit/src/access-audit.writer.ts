import type { Client } from '@elastic/elasticsearch';
import type { ElasticsearchConfig } from '@cairn/config';
import type { AuditEventDocument } from '@cairn/event-schema';
import { BulkWriter, installIndexTemplate } from '@cairn/elasticsearch-store';

/**
 * Stores access records beside the events they are about. The API may be the first to write this
 * month (or at all), so the index template is installed before the first record: an index created
 * without it would take dynamic mappings.
 */
export class AccessAuditWriter {
  private readonly writer: BulkWriter;
  private template?: Promise<unknown>;

  constructor(
    private readonly client: Client,
    private readonly config: ElasticsearchConfig,
    /** Adds compliance tags (an access record evidences PCI DSS 10.2.1.3 and others). */
    private readonly tag: (document: AuditEventDocument) => AuditEventDocument = (document) => document,
  ) {
    // Access record ids are random per request: unique by construction, so no identity claim.
    this.writer = new BulkWriter(client, config.indexPrefix, { claimIdentities: false });
  }

  /** Resolves once the record is stored; rejects otherwise, so the caller can refuse to answer. */
  async record(document: AuditEventDocument): Promise<void> {
    this.template ??= installIndexTemplate(this.client, this.config).catch((error: unknown) => {
      this.template = undefined;
      throw error;
    });
    await this.template;
    const [result] = await this.writer.write([this.tag(document)]);
    if (result.status === 'retryable' || result.status === 'rejected') {
      throw new Error(`access record not stored: ${result.httpStatus} ${result.reason}`);
    }
  }
}
