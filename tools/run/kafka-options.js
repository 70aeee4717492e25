// Kafka connection options for the helper scripts (produce, dlq) from the same KAFKA_* variables
// the apps take (README, Configuration). The apps validate them fully through @cairn/config; the
// typed `cairn` command line (issue 16) will replace this with that.
'use strict';
const fs = require('node:fs');

function secret(name) {
  const file = process.env[`${name}_FILE`];
  if (file) return fs.readFileSync(file, 'utf8').trim();
  return process.env[name] || undefined;
}

function pem(name) {
  const file = process.env[name];
  if (!file) return undefined;
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`${name}: cannot read ${file} (${error.code || error.message})`);
  }
}

/** { brokers, ssl?, sasl? } for kafkajs; throws naming the setting when one is unusable. */
function kafkaOptions() {
  const env = process.env;
  const mechanism = env.KAFKA_SASL_MECHANISM;
  if (mechanism && !['plain', 'scram-sha-256', 'scram-sha-512'].includes(mechanism))
    throw new Error('KAFKA_SASL_MECHANISM: must be one of plain, scram-sha-256, scram-sha-512');
  const files = ['KAFKA_TLS_CA_FILE', 'KAFKA_TLS_CERT_FILE', 'KAFKA_TLS_KEY_FILE'];
  const tls =
    env.KAFKA_TLS !== 'false' &&
    (env.KAFKA_TLS === 'true' ||
      !!mechanism ||
      files.some((name) => env[name]) ||
      !!env.KAFKA_TLS_SERVER_NAME);
  if (mechanism === 'plain' && !tls)
    throw new Error('KAFKA_SASL_MECHANISM: plain over plain text sends the password as it is; use TLS');
  const password = secret('KAFKA_SASL_PASSWORD');
  if (mechanism && (!env.KAFKA_SASL_USERNAME || !password))
    throw new Error(
      `KAFKA_SASL_MECHANISM: ${mechanism} needs KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or _FILE)`,
    );
  const ca = pem('KAFKA_TLS_CA_FILE');
  const cert = pem('KAFKA_TLS_CERT_FILE');
  const key = pem('KAFKA_TLS_KEY_FILE');
  return {
    brokers: (env.KAFKA_BROKERS || '127.0.0.1:9092').split(',').map((broker) => broker.trim()),
    ...(tls && {
      ssl: {
        rejectUnauthorized: true,
        ...(ca && { ca }),
        ...(cert && key && { cert, key }),
        ...(env.KAFKA_TLS_SERVER_NAME && { servername: env.KAFKA_TLS_SERVER_NAME }),
      },
    }),
    ...(mechanism && { sasl: { mechanism, username: env.KAFKA_SASL_USERNAME, password } }),
  };
}

module.exports = { kafkaOptions };
