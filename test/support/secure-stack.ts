import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Kafka, logLevel } from 'kafkajs';

/** The checkout this file is in, also when it runs compiled under dist/bench. */
function repository(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'tools', 'local-stack', 'stack.sh')) && dirname(dir) !== dir)
    dir = dirname(dir);
  return dir;
}

/**
 * The secure side of the local stack (`stack.sh start --secure`): Kafka's SASL_SSL and mutual-TLS
 * listeners and Elasticsearch behind nginx, with the throw-away CA and random passwords it made.
 */
export const SECURE_DIR = join(process.env.CAIRN_STACK_DIR ?? join(repository(), '.cairn'), 'secure');
export const secureFile = (name: string) => join(SECURE_DIR, name);
export const KAFKA_MTLS_BROKERS = '127.0.0.1:9095';

/** The settings stack.sh wrote for Cairn (SCRAM-SHA-512 over TLS, basic authentication over TLS). */
export function secureEnvironment(): Record<string, string> {
  const file = secureFile('cairn.env');
  if (!existsSync(file))
    throw new Error(`${file} is missing: start the stack with \`npm run stack -- --secure\``);
  return Object.fromEntries(
    readFileSync(file, 'utf8')
      .split('\n')
      .filter((line) => /^[A-Z_]+=/.test(line))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
  );
}

/** A Kafka client for the test itself, over SASL_SSL as Cairn connects. */
export function secureKafka(): Kafka {
  const env = secureEnvironment();
  return new Kafka({
    clientId: 'cairn-e2e-secure',
    brokers: env.KAFKA_BROKERS.split(','),
    ssl: { ca: readFileSync(env.KAFKA_TLS_CA_FILE, 'utf8') },
    sasl: {
      mechanism: 'scram-sha-512',
      username: env.KAFKA_SASL_USERNAME,
      password: readFileSync(env.KAFKA_SASL_PASSWORD_FILE, 'utf8').trim(),
    },
    logLevel: logLevel.NOTHING,
  });
}
