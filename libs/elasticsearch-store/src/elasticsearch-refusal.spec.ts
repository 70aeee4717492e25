import { errors } from '@elastic/elasticsearch';
import { elasticsearchRefusalOf } from './elasticsearch-refusal';

const response = (statusCode: number) =>
  new errors.ResponseError({
    body: { error: 'authentication required' },
    statusCode,
    headers: {},
    warnings: null,
    meta: {} as never,
  });

describe('elasticsearchRefusalOf', () => {
  it('names the credentials for a 401, privileges for a 403, and the TLS setting behind a TLS failure', () => {
    expect(elasticsearchRefusalOf(response(401))).toMatch(
      /^Elasticsearch refused the credentials; check ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD/,
    );
    expect(elasticsearchRefusalOf(response(403))).toMatch(/lacks a privilege/);
    expect(
      elasticsearchRefusalOf(new errors.ConnectionError('self-signed certificate in certificate chain')),
    ).toMatch(
      /^Elasticsearch's certificate is not trusted; check ELASTICSEARCH_CA_FILE or ELASTICSEARCH_CA_FINGERPRINT/,
    );
    expect(
      elasticsearchRefusalOf(
        new errors.ConnectionError(
          'Server certificate CA fingerprint does not match the value configured in caFingerprint',
        ),
      ),
    ).toMatch(/not trusted/);
  });

  it('leaves outages and overload to the retry', () => {
    expect(
      elasticsearchRefusalOf(new errors.ConnectionError('connect ECONNREFUSED 127.0.0.1:9201')),
    ).toBeUndefined();
    expect(elasticsearchRefusalOf(response(503))).toBeUndefined();
    expect(elasticsearchRefusalOf(new errors.TimeoutError('Request timed out'))).toBeUndefined();
  });
});

it('is about Elasticsearch only when its client raised it', () => {
  expect(elasticsearchRefusalOf(new Error('self-signed certificate in certificate chain'))).toBeUndefined();
});
