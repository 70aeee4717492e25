import { deterministicEventId, SCHEMA_VERSION, type AuditEventDocument } from '@cairn/event-schema';
import type { IntegrityFinding } from './findings';

export interface VerificationOutcome {
  readonly verifiedAt: string;
  readonly eventsVerified: number;
  readonly chains: number;
  readonly findings: readonly IntegrityFinding[];
  readonly truncated: boolean;
}

/** How many findings the record's message spells out; the rest are counted. */
const LISTED = 5;

/**
 * A verification as an event of the trail (cairn.integrity.verify): success when every chain
 * verified, failure with the findings otherwise. The compliance catalog counts the successes as
 * PCI DSS 10.3.4 and HIPAA 164.312(c)(2) evidence; the report lists the failures as findings.
 */
export function verificationRecord(outcome: VerificationOutcome, host: string): AuditEventDocument {
  const failed = outcome.findings.length > 0 || outcome.truncated;
  const kinds = [...new Set(outcome.findings.map((finding) => finding.kind))].sort();
  const listed = outcome.findings.slice(0, LISTED).map((finding) => `${finding.kind}: ${finding.message}`);
  const more = outcome.findings.length - listed.length;
  const message = failed
    ? `integrity verification FAILED: ${outcome.findings.length}${outcome.truncated ? '+' : ''} findings in ${outcome.chains} chains — ${listed.join('; ')}${more > 0 ? `; and ${more} more` : ''}`
    : `integrity verification passed: ${outcome.eventsVerified} events in ${outcome.chains} chains`;
  return {
    '@timestamp': outcome.verifiedAt,
    message,
    event: {
      id: deterministicEventId('cairn', ['integrity-verify', host, outcome.verifiedAt]),
      kind: failed ? 'alert' : 'event',
      category: ['configuration'],
      type: ['info'],
      action: 'cairn.integrity.verify',
      outcome: failed ? 'failure' : 'success',
      ingested: outcome.verifiedAt,
      ...(failed && { severity: 2 }),
    },
    host: { name: host },
    cairn: {
      source_kind: 'CAIRN',
      product: 'cairn',
      schema_version: SCHEMA_VERSION,
      verification: {
        events: outcome.eventsVerified,
        chains: outcome.chains,
        findings: outcome.findings.length,
        kinds,
      },
    },
  };
}
