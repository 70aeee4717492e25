import { gzipSync } from 'node:zlib';
import { rawMessageOf, type IntakeRequest } from './intake-body';
import { IntakeErrorCode } from './intake-error';
import { INTAKE_SOURCES } from './intake-sources';

const LIMIT = 64 * 1024;

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as { code?: string }).code;
  }
}

const request = (headers: IntakeRequest['headers'], body?: Buffer): IntakeRequest => ({ headers, body });

describe('rawMessageOf', () => {
  const eventList = Buffer.from('{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[]}');

  it('passes the body on byte for byte, whatever charset parameter the type carries', async () => {
    const value = await rawMessageOf(
      INTAKE_SOURCES['kubernetes-audit'],
      request({ 'content-type': 'application/json; charset=utf-8' }, eventList),
      LIMIT,
    );
    expect(value.equals(eventList)).toBe(true);
  });

  it('gunzips a gzip body (OPA) and counts the limit after decompression', async () => {
    const batch = Buffer.from('[{"decision_id":"1"}]');
    const gzip = { 'content-type': 'application/json', 'content-encoding': 'gzip' };
    expect(
      (await rawMessageOf(INTAKE_SOURCES.opa, request(gzip, gzipSync(batch)), LIMIT)).equals(batch),
    ).toBe(true);
    const bomb = gzipSync(Buffer.alloc(LIMIT + 1, 0x20));
    expect(bomb.length).toBeLessThan(1024);
    expect(await codeOf(rawMessageOf(INTAKE_SOURCES.opa, request(gzip, bomb), LIMIT))).toBe(
      IntakeErrorCode.PayloadTooLarge,
    );
    expect(await codeOf(rawMessageOf(INTAKE_SOURCES.opa, request(gzip, batch), LIMIT))).toBe(
      IntakeErrorCode.MalformedBody,
    );
  });

  it('refuses wrong media types, unknown encodings, empty and oversized bodies with their codes', async () => {
    const source = INTAKE_SOURCES.distribution;
    const envelope = { 'content-type': 'application/vnd.docker.distribution.events.v2+json' };
    expect(
      await codeOf(rawMessageOf(source, request(envelope, Buffer.from('{"events":[]}')), LIMIT)),
    ).toBeUndefined();
    expect(
      await codeOf(rawMessageOf(source, request({ 'content-type': 'text/plain' }, eventList), LIMIT)),
    ).toBe(IntakeErrorCode.UnsupportedMediaType);
    expect(await codeOf(rawMessageOf(source, request({}, eventList), LIMIT))).toBe(
      IntakeErrorCode.UnsupportedMediaType,
    );
    expect(
      await codeOf(
        rawMessageOf(source, request({ ...envelope, 'content-encoding': 'br' }, eventList), LIMIT),
      ),
    ).toBe(IntakeErrorCode.UnsupportedEncoding);
    expect(await codeOf(rawMessageOf(source, request(envelope, Buffer.alloc(0)), LIMIT))).toBe(
      IntakeErrorCode.EmptyBody,
    );
    expect(await codeOf(rawMessageOf(source, request(envelope, Buffer.alloc(LIMIT + 1, 0x20)), LIMIT))).toBe(
      IntakeErrorCode.PayloadTooLarge,
    );
  });

  it('takes the envelope type Docker Distribution 2.8 really sends (events.v1+json) and the documented v2', async () => {
    for (const type of ['v1', 'v2']) {
      const headers = { 'content-type': `application/vnd.docker.distribution.events.${type}+json` };
      const value = await rawMessageOf(
        INTAKE_SOURCES.distribution,
        request(headers, Buffer.from('{"events":[]}')),
        LIMIT,
      );
      expect(value.toString()).toBe('{"events":[]}');
    }
  });

  it("turns Harbor's CloudEvents binary mode into the structured event, attributes from the ce-* headers", async () => {
    const data = { repository: { name: 'app' }, resources: [{ tag: '1.0' }] };
    const value = await rawMessageOf(
      INTAKE_SOURCES.harbor,
      request(
        {
          'content-type': 'application/json',
          'ce-specversion': '1.0',
          'ce-id': '4b4ec2a4-5b5d-4e0e-9b17-98b2c3f2a001',
          'ce-source': '/projects/1/webhook/policies/3',
          'ce-type': 'harbor.artifact.pushed',
          'ce-time': '2026-05-01T10:00:00Z',
          'ce-operator': 'admin',
          'ce-bad_name': 'ignored',
          authorization: 'Bearer x',
        },
        Buffer.from(JSON.stringify(data)),
      ),
      LIMIT,
    );
    expect(JSON.parse(value.toString())).toEqual({
      specversion: '1.0',
      id: '4b4ec2a4-5b5d-4e0e-9b17-98b2c3f2a001',
      source: '/projects/1/webhook/policies/3',
      type: 'harbor.artifact.pushed',
      time: '2026-05-01T10:00:00Z',
      operator: 'admin',
      datacontenttype: 'application/json',
      data,
    });
  });

  it('keeps structured CloudEvents and Default payloads as sent, and refuses binary mode without JSON data', async () => {
    const structured = Buffer.from('{"specversion":"1.0","type":"harbor.artifact.pushed","data":{}}');
    const headers = { 'content-type': 'application/cloudevents+json', 'ce-specversion': '1.0' };
    expect(
      (await rawMessageOf(INTAKE_SOURCES.harbor, request(headers, structured), LIMIT)).equals(structured),
    ).toBe(true);
    const binary = { 'content-type': 'application/json', 'ce-specversion': '1.0' };
    expect(
      await codeOf(rawMessageOf(INTAKE_SOURCES.harbor, request(binary, Buffer.from('not json')), LIMIT)),
    ).toBe(IntakeErrorCode.MalformedBody);
  });
});
