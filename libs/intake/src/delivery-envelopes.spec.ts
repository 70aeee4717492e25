import { gzipSync } from 'node:zlib';
import { unwrapDelivery } from './delivery-envelopes';
import { IntakeErrorCode } from './intake-error';

const subscription = Buffer.from(
  '{"messageType":"DATA_MESSAGE","logGroup":"/aws/eks/prod/cluster","logEvents":[]}',
);
const logEntry = Buffer.from('{"protoPayload":{"@type":"type.googleapis.com/google.cloud.audit.AuditLog"}}');
const LIMIT = 1 << 20;

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

describe('unwrapDelivery', () => {
  it("takes each Firehose record's payload, un-gzipping what CloudWatch Logs compressed", () => {
    const body = Buffer.from(
      JSON.stringify({
        requestId: 'ed4acda5-034f-9f42-bba1-f29aea6d7d8f',
        timestamp: 1578090901599,
        records: [
          { data: gzipSync(subscription).toString('base64') },
          { data: subscription.toString('base64') },
        ],
      }),
    );
    const unwrapped = unwrapDelivery('firehose', body, LIMIT);
    expect(unwrapped.requestId).toBe('ed4acda5-034f-9f42-bba1-f29aea6d7d8f');
    expect(unwrapped.payloads.map(String)).toEqual([String(subscription), String(subscription)]);
  });

  it("takes a Pub/Sub push message's data", () => {
    const body = Buffer.from(
      JSON.stringify({
        message: { data: logEntry.toString('base64'), messageId: '1', publishTime: '2026-11-01T00:00:00Z' },
        subscription: 'projects/p/subscriptions/cairn',
      }),
    );
    expect(unwrapDelivery('pubsub', body, LIMIT).payloads.map(String)).toEqual([String(logEntry)]);
  });

  it('refuses what is not the envelope, data that is not base64, and payloads over the limit', () => {
    expect(codeOf(() => unwrapDelivery('firehose', Buffer.from('[]'), LIMIT))).toBe(
      IntakeErrorCode.MalformedBody,
    );
    expect(codeOf(() => unwrapDelivery('firehose', Buffer.from('{"records":[]}'), LIMIT))).toBe(
      IntakeErrorCode.MalformedBody,
    );
    expect(
      codeOf(() => unwrapDelivery('firehose', Buffer.from('{"records":[{"data":"not base64!"}]}'), LIMIT)),
    ).toBe(IntakeErrorCode.MalformedBody);
    expect(codeOf(() => unwrapDelivery('pubsub', Buffer.from('{"subscription":"x"}'), LIMIT))).toBe(
      IntakeErrorCode.MalformedBody,
    );
    const bomb = gzipSync(Buffer.alloc(LIMIT + 1, 0x20)).toString('base64');
    expect(
      codeOf(() =>
        unwrapDelivery('firehose', Buffer.from(JSON.stringify({ records: [{ data: bomb }] })), LIMIT),
      ),
    ).toBe(IntakeErrorCode.PayloadTooLarge);
  });
});
