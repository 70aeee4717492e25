import type { AuditEventDocument } from '@cairn/event-schema';
import { FORMATS, frameSyslog } from '@cairn/siem-formats';
import type { Delivery } from './feed-pusher';
import type { SyslogTarget } from './push-config';
import { SyslogSender } from './syslog-sender';

/** Events as RFC 5424 messages carrying the feed's format, octet-counted, over one connection. */
export class SyslogDelivery implements Delivery {
  constructor(
    private readonly target: SyslogTarget,
    private readonly sender: SyslogSender,
    private readonly hostname: string,
  ) {}

  async deliver(documents: readonly AuditEventDocument[]): Promise<void> {
    const options = {
      hostname: this.target.hostname ?? this.hostname,
      enterpriseNumber: this.target.enterpriseNumber,
    };
    const format = FORMATS[this.target.format];
    await this.sender.send(
      documents.map((document) => frameSyslog(document, format.encode(document), options)),
    );
  }

  close(): void {
    this.sender.close();
  }
}
