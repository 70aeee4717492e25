import {
  type HttpTls,
  type ElasticsearchAuth,
  type ElasticsearchConfig,
  type KafkaConfig,
} from './cairn-config';
import { readSecret, type Environment } from './environment';
import { CommonSettings, KAFKA_SASL_MECHANISMS } from './settings';
import { readTlsMaterial } from './tls-files';

/**
 * TLS is on when asked for, and by default whenever a TLS file or SASL is configured; SASL PLAIN
 * sends the password itself, so it is refused over plain text. Secrets never enter a message.
 */
export function kafkaConfig(
  settings: CommonSettings,
  env: Environment,
  app: string,
  problems: string[],
): KafkaConfig {
  const base = {
    brokers: settings.KAFKA_BROKERS.split(',').map((broker) => broker.trim()),
    clientId: settings.KAFKA_CLIENT_ID ?? `cairn-${app}`,
  };
  const password = readSecret(env, 'KAFKA_SASL_PASSWORD', problems);
  const mechanism = settings.KAFKA_SASL_MECHANISM;
  const username = settings.KAFKA_SASL_USERNAME;
  let sasl: KafkaConfig['sasl'];
  // An unknown mechanism is named by the settings check already.
  const known = mechanism !== undefined && (KAFKA_SASL_MECHANISMS as readonly string[]).includes(mechanism);
  if (mechanism === undefined) {
    if (password !== undefined)
      problems.push(
        'KAFKA_SASL_PASSWORD: a password without KAFKA_SASL_MECHANISM is never used; set the mechanism',
      );
    if (username !== undefined)
      problems.push(
        'KAFKA_SASL_USERNAME: a user name without KAFKA_SASL_MECHANISM is never used; set the mechanism',
      );
  } else if (known && (username === undefined || password === undefined)) {
    problems.push(
      `KAFKA_SASL_MECHANISM: ${mechanism} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or KAFKA_SASL_PASSWORD_FILE)`,
    );
  } else if (known && username !== undefined && password !== undefined) {
    sasl = { mechanism, username, password };
  }
  const files = {
    caFile: settings.KAFKA_TLS_CA_FILE,
    certFile: settings.KAFKA_TLS_CERT_FILE,
    keyFile: settings.KAFKA_TLS_KEY_FILE,
  };
  const anyFile = Object.values(files).some((file) => file !== undefined);
  const tlsWanted =
    settings.KAFKA_TLS !== 'false' &&
    (settings.KAFKA_TLS === 'true' || anyFile || mechanism !== undefined || !!settings.KAFKA_TLS_SERVER_NAME);
  if (!tlsWanted) {
    if (settings.KAFKA_TLS === 'false' && (anyFile || settings.KAFKA_TLS_SERVER_NAME))
      problems.push('KAFKA_TLS: false, but KAFKA_TLS_* files are set; remove them or turn TLS on');
    if (mechanism === 'plain')
      problems.push(
        'KAFKA_SASL_MECHANISM: plain over plain text sends the password as it is; use TLS (KAFKA_TLS=true)',
      );
    return { ...base, ...(sasl && { sasl }) };
  }
  const material = readTlsMaterial(files, 'KAFKA_TLS', problems);
  const tls = {
    ...material,
    ...(settings.KAFKA_TLS_SERVER_NAME && { serverName: settings.KAFKA_TLS_SERVER_NAME }),
  };
  return { ...base, tls, ...(sasl && { sasl }) };
}

export function elasticsearchConfig(
  settings: CommonSettings,
  env: Environment,
  problems: string[],
): ElasticsearchConfig {
  const apiKey = readSecret(env, 'ELASTICSEARCH_API_KEY', problems);
  const password = readSecret(env, 'ELASTICSEARCH_PASSWORD', problems);
  const username = settings.ELASTICSEARCH_USERNAME;
  let auth: ElasticsearchAuth | undefined;
  if (apiKey && (username || password)) {
    problems.push(
      'ELASTICSEARCH_API_KEY: set either an API key or ELASTICSEARCH_USERNAME/PASSWORD, not both',
    );
  } else if (apiKey) {
    auth = { apiKey };
  } else if (username && password) {
    auth = { username, password };
  } else if (username || password) {
    problems.push(
      'ELASTICSEARCH_USERNAME: basic auth needs both ELASTICSEARCH_USERNAME and ELASTICSEARCH_PASSWORD',
    );
  }
  const material = readTlsMaterial(
    {
      caFile: settings.ELASTICSEARCH_CA_FILE,
      certFile: settings.ELASTICSEARCH_CERT_FILE,
      keyFile: settings.ELASTICSEARCH_KEY_FILE,
    },
    'ELASTICSEARCH',
    problems,
  );
  const fingerprint = settings.ELASTICSEARCH_CA_FINGERPRINT;
  const nodes = settings.ELASTICSEARCH_URL.split(',').map((url) => url.trim());
  if (new Set(nodes.map((url) => url.split(':')[0])).size > 1) {
    problems.push('ELASTICSEARCH_URL: the nodes must all be http:// or all https://');
  }
  if (nodes[0].startsWith('http://')) {
    const tlsSettings = [
      settings.ELASTICSEARCH_CA_FILE && 'ELASTICSEARCH_CA_FILE',
      fingerprint && 'ELASTICSEARCH_CA_FINGERPRINT',
      settings.ELASTICSEARCH_CERT_FILE && 'ELASTICSEARCH_CERT_FILE',
    ].filter(Boolean);
    for (const setting of tlsSettings)
      problems.push(`${setting}: TLS settings need an https:// ELASTICSEARCH_URL`);
  }
  return {
    url: nodes[0],
    nodes,
    auth,
    caCertificate: material.ca,
    ...(fingerprint && {
      caFingerprint: fingerprint
        .replace(/:/g, '')
        .toUpperCase()
        .replace(/(..)(?!$)/g, '$1:'),
    }),
    ...(material.cert && material.key && { clientCertificate: { cert: material.cert, key: material.key } }),
    indexPrefix: settings.ELASTICSEARCH_INDEX_PREFIX,
    replicas: settings.ELASTICSEARCH_REPLICAS,
    shards: settings.ELASTICSEARCH_SHARDS,
    refreshInterval: settings.ELASTICSEARCH_REFRESH_INTERVAL,
    requestTimeoutMs: settings.ELASTICSEARCH_REQUEST_TIMEOUT_MS,
  };
}

const LOOPBACK = /^(?:127\.\d{1,3}\.\d{1,3}\.\d{1,3}|::1|localhost)$/;

/** The TLS settings of one HTTP server, as its process names them (CAIRN_API_*, CAIRN_INTAKE_*). */
export interface HttpTlsSettings {
  readonly prefix: 'CAIRN_API' | 'CAIRN_INTAKE';
  readonly host: string;
  readonly mode?: 'on' | 'off';
  readonly certFile?: string;
  readonly keyFile?: string;
  readonly clientCaFile?: string;
}

/**
 * HTTPS when certificate and key are given. Plain HTTP is served only to this machine (a loopback
 * host) or when <prefix>_TLS=off says so on purpose, e.g. behind a TLS proxy.
 */
export function httpTlsConfig(settings: HttpTlsSettings, problems: string[]): HttpTls | undefined {
  const { prefix, mode, certFile, keyFile, clientCaFile } = settings;
  if (mode === 'off') {
    for (const [name, value] of [
      [`${prefix}_TLS_CERT_FILE`, certFile],
      [`${prefix}_TLS_KEY_FILE`, keyFile],
      [`${prefix}_TLS_CLIENT_CA_FILE`, clientCaFile],
    ] as const)
      if (value)
        problems.push(`${name}: set, but ${prefix}_TLS=off serves plain HTTP; remove it or turn TLS on`);
    return undefined;
  }
  if (!certFile && !keyFile) {
    if (mode === 'on')
      problems.push(`${prefix}_TLS: on needs ${prefix}_TLS_CERT_FILE and ${prefix}_TLS_KEY_FILE`);
    else if (!LOOPBACK.test(settings.host))
      problems.push(
        `${prefix}_HOST: ${settings.host} is reachable from other machines; serve HTTPS ` +
          `(${prefix}_TLS_CERT_FILE, ${prefix}_TLS_KEY_FILE) or set ${prefix}_TLS=off to serve plain HTTP on purpose`,
      );
    if (clientCaFile)
      problems.push(`${prefix}_TLS_CLIENT_CA_FILE: client certificates need HTTPS (a certificate and key)`);
    return undefined;
  }
  const served = readTlsMaterial({ certFile, keyFile }, `${prefix}_TLS`, problems);
  const client = clientCaFile
    ? readTlsMaterial({ caFile: clientCaFile }, `${prefix}_TLS_CLIENT`, problems)
    : {};
  if (!served.cert || !served.key) return undefined;
  return { cert: served.cert, key: served.key, ...(client.ca && { clientCa: client.ca }) };
}
