import type { Client } from '@elastic/elasticsearch';
import { BulkWriter } from '@cairn/elasticsearch-store';
import type { AuditEventDocument } from '@cairn/event-schema';
import { verificationRecord } from '@cairn/integrity';
import type { IntegrityAudit, IntegrityReport } from './integrity-audit';

export interface ScheduledVerificationLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface ScheduledVerificationOptions {
  readonly audit: IntegrityAudit;
  readonly client: Client;
  readonly indexPrefix: string;
  readonly intervalMs: number;
  readonly host: string;
  readonly log: ScheduledVerificationLog;
  /** Adds compliance tags: a passing verification evidences PCI DSS 10.3.4 and HIPAA 164.312(c)(2). */
  readonly tag: (document: AuditEventDocument) => AuditEventDocument;
  /** Each finished run (metrics). */
  readonly onReport?: (report: IntegrityReport) => void;
  readonly onError?: () => void;
}

/**
 * Verifies the whole trail every interval and stores the result as an event of the trail
 * (cairn.integrity.verify): the evidence PCI DSS 10.3.4 asks for, and, when something was found,
 * an alert (event.kind alert) that SIEMs and the compliance report both see.
 */
export class ScheduledVerification {
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private readonly writer: BulkWriter;

  constructor(private readonly options: ScheduledVerificationOptions) {
    this.writer = new BulkWriter(options.client, options.indexPrefix, { claimIdentities: false });
  }

  start(): void {
    this.timer = setInterval(() => void this.runOnce(), this.options.intervalMs);
    this.timer.unref();
  }

  /** Stops the schedule; a run in progress only reads, and is left to end with the process. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  runOnce(): Promise<void> {
    this.running ??= this.run().finally(() => (this.running = undefined));
    return this.running;
  }

  private async run(): Promise<void> {
    const { audit, log } = this.options;
    try {
      const report = await audit.verify();
      const record = this.options.tag(
        verificationRecord({ ...report, chains: report.chains.length }, this.options.host),
      );
      const [result] = await this.writer.write([record], 'wait_for');
      if (result.status === 'retryable' || result.status === 'rejected') {
        throw new Error(`the verification's record was not stored: ${result.httpStatus} ${result.reason}`);
      }
      this.options.onReport?.(report);
      if (report.ok)
        log.info({ events: report.eventsVerified, chains: report.chains.length }, 'integrity verified');
      else
        log.warn(
          { findings: report.findings.length, first: report.findings[0]?.message },
          'integrity verification found changes',
        );
    } catch (error) {
      this.options.onError?.();
      log.error({ err: error }, 'integrity verification could not run; next try at the next interval');
    }
  }
}
