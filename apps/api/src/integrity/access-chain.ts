import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Client } from '@elastic/elasticsearch';
import { AccessAuditWriter } from '@cairn/access-audit';
import type { ApiConfig } from '@cairn/config';
import type { AuditEventDocument } from '@cairn/event-schema';
import { accessChainOf } from '@cairn/integrity';
import { ChainIndex, CheckpointIndex, CheckpointLog, Checkpointer } from '@cairn/integrity-store';
import type { Logger } from '@cairn/logging';

/** The API's access records and, with integrity on, the chain they form and its checkpoints. */
export interface AccessTrail {
  readonly writer: AccessAuditWriter;
  readonly chain?: { readonly name: string; readonly checkpointer: Checkpointer };
}

/** A stop waits this long for the closing checkpoint (the log copy comes first). */
export const CLOSING_CHECKPOINT_MS = 2000;

export function accessTrailOf(
  client: Client,
  config: ApiConfig,
  logger: Logger,
  tag: (document: AuditEventDocument) => AuditEventDocument,
): AccessTrail {
  const { integrity, elasticsearch } = config;
  const key = integrity.signingKey;
  if (!integrity.enabled || !key) {
    return { writer: new AccessAuditWriter(client, elasticsearch, tag, undefined, logger) };
  }
  const name = accessChainOf(hostname(), new Date(), randomBytes(4).toString('hex'));
  const links = new ChainIndex(client, elasticsearch.indexPrefix);
  const writer = new AccessAuditWriter(
    client,
    elasticsearch,
    tag,
    { name, relink: (updates) => links.relink(updates), storedHead: (chain) => links.storedHead(chain) },
    logger,
  );
  const checkpointer = new Checkpointer({
    index: new CheckpointIndex(client, elasticsearch.indexPrefix),
    log: new CheckpointLog(integrity.checkpointDir),
    key,
    intervalMs: integrity.checkpointSeconds * 1000,
    owned: () => Promise.resolve(writer.head ? [writer.head] : []),
    logger,
    closeAtStop: true,
  });
  checkpointer.begin(name);
  return { writer, chain: { name, checkpointer } };
}
