import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Client } from '@elastic/elasticsearch';
import { AccessAuditWriter } from '@cairn/access-audit';
import type { ApiConfig } from '../config/api-config';
import type { AuditEventDocument } from '@cairn/event-schema';
import { accessChainOf } from '@cairn/integrity';
import {
  AbandonedChains,
  ChainIndex,
  CheckpointIndex,
  CheckpointLog,
  Checkpointer,
} from '@cairn/integrity-store';
import type { Logger } from '@cairn/logging';

/** The API's access records and, with integrity on, the chain they form and its checkpoints. */
export interface AccessTrail {
  readonly writer: AccessAuditWriter;
  readonly chain?: {
    readonly name: string;
    readonly checkpointer: Checkpointer;
    /** Closes the chains of API processes that died without closing them. */
    readonly abandoned: AbandonedChains;
    readonly intervalMs: number;
  };
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
    { name, relink: (updates) => links.relink(updates) },
    logger,
  );
  const index = new CheckpointIndex(client, elasticsearch.indexPrefix);
  const log = new CheckpointLog(integrity.checkpointDir);
  const intervalMs = integrity.checkpointSeconds * 1000;
  const checkpointer = new Checkpointer({
    index,
    log,
    key,
    intervalMs,
    owned: () => Promise.resolve(writer.head ? [writer.head] : []),
    logger,
    closeAtStop: true,
  });
  checkpointer.begin(name);
  const abandoned = new AbandonedChains({ index, log, links, key, intervalMs, logger });
  return { writer, chain: { name, checkpointer, abandoned, intervalMs } };
}
