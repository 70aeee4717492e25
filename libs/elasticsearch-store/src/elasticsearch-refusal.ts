import { errors } from '@elastic/elasticsearch';
import { firstLine, tlsRefusalOf } from '@cairn/transport-security';
import { statusOf } from './elasticsearch-client';

/**
 * Whether a failed Elasticsearch request is a refusal of Cairn's own settings (credentials, trust,
 * client certificate), which waiting will not cure, and which settings to look at.
 */
export function elasticsearchRefusalOf(error: unknown): string | undefined {
  // Only the client's own errors: the same TLS words from Kafka's client are not about Elasticsearch.
  if (!(error instanceof errors.ElasticsearchClientError)) return undefined;
  const status = statusOf(error);
  const text = error instanceof Error ? error.message : String(error);
  if (status === 401)
    return `Elasticsearch refused the credentials; check ELASTICSEARCH_API_KEY or ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD (${firstLine(text)})`;
  if (status === 403)
    return `Elasticsearch's user lacks a privilege Cairn needs; see the README's deployment section (${firstLine(text)})`;
  return tlsRefusalOf(text, {
    server: 'Elasticsearch',
    trust: 'ELASTICSEARCH_CA_FILE or ELASTICSEARCH_CA_FINGERPRINT',
    name: 'ELASTICSEARCH_URL',
    clientCertificate: 'ELASTICSEARCH_CERT_FILE and ELASTICSEARCH_KEY_FILE',
    plainPort: 'ELASTICSEARCH_URL (http:// or https://)',
  });
}
