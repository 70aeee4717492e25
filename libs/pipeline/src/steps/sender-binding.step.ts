import type { AuditEventDocument } from '@cairn/event-schema';
import { INTAKE_HEADERS } from '@cairn/intake';
import type { RawHeaders, RawMessage } from '../pipeline.types';
import type { DocumentStep } from './document-step';

/**
 * The intake sets these Kafka headers from the credential that sent a message. Whoever may write
 * to the raw topics directly is trusted as a source already; over HTTP it is the credential, not
 * the payload, that names the cluster or registry.
 */
export const SENDER_HEADERS = INTAKE_HEADERS;

function headerText(headers: RawHeaders | undefined, name: string): string | undefined {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  if (first === undefined) return undefined;
  const text = typeof first === 'string' ? first : first.toString('utf8');
  return text === '' ? undefined : text;
}

/** The binding headers of a message, as text: a dead letter keeps them, so a redrive keeps its cluster. */
export function senderHeadersOf(message: RawMessage): Record<string, string> {
  const found: Record<string, string> = {};
  for (const name of Object.values(SENDER_HEADERS)) {
    const value = headerText(message.headers, name);
    if (value !== undefined) found[name] = value;
  }
  return found;
}

/**
 * Writes the sending credential's binding into every event of its message, over whatever the
 * payload claimed: one sender cannot write into another cluster's or registry's record. Runs
 * before tagging, so a compliance scope by cluster sees the bound name.
 */
export function senderBindingStep(): DocumentStep {
  return {
    name: 'sender-binding',
    apply: (document, _position, message): AuditEventDocument => {
      const sender = headerText(message.headers, SENDER_HEADERS.sender);
      if (sender === undefined) return document;
      const cluster = headerText(message.headers, SENDER_HEADERS.cluster);
      const registry = headerText(message.headers, SENDER_HEADERS.registry);
      return {
        ...document,
        ...(cluster !== undefined && {
          orchestrator: { ...document.orchestrator, cluster: { name: cluster } },
        }),
        ...(registry !== undefined && { registry: { ...document.registry, name: registry } }),
        cairn: { ...document.cairn, intake: { sender } },
      };
    },
  };
}
