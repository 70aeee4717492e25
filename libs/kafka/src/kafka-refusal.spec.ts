import {
  KafkaJSConnectionError,
  KafkaJSNumberOfRetriesExceeded,
  KafkaJSSASLAuthenticationError,
} from 'kafkajs';
import { kafkaRefusalOf } from './kafka-refusal';

// Messages as kafkajs and Node's TLS layer give them (seen against the secure local stack).
const wrapped = (message: string) =>
  new KafkaJSNumberOfRetriesExceeded(new KafkaJSConnectionError(`Connection error: ${message}`), {
    retryCount: 0,
    retryTime: 300,
  });

describe('kafkaRefusalOf', () => {
  it('names the settings behind each refusal', () => {
    expect(
      kafkaRefusalOf(
        // kafkajs's typings declare no constructor arguments; at run time it takes the message.
        new (KafkaJSSASLAuthenticationError as unknown as new (message: string) => Error)(
          'SASL SCRAM SHA512 authentication failed: Authentication failed during authentication due to invalid credentials with SASL mechanism SCRAM-SHA-512',
        ),
      ),
    ).toMatch(
      /^Kafka refused the SASL credentials; check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD/,
    );
    expect(kafkaRefusalOf(wrapped('self-signed certificate in certificate chain'))).toMatch(
      /^Kafka's certificate is not trusted; check KAFKA_TLS_CA_FILE \(/,
    );
    expect(
      kafkaRefusalOf(
        wrapped("Hostname/IP does not match certificate's altnames: IP: 10.0.0.5 is not in the cert's list"),
      ),
    ).toMatch(/check KAFKA_BROKERS or KAFKA_TLS_SERVER_NAME/);
    expect(
      kafkaRefusalOf(
        wrapped(
          '806CEDD21F7F0000:error:0A000412:SSL routines:ssl3_read_bytes:sslv3 alert bad certificate:SSL alert number 42',
        ),
      ),
    ).toMatch(
      /refused the client certificate \(or its absence\); check KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE/,
    );
    expect(kafkaRefusalOf(wrapped('error:0A00010B:SSL routines::wrong version number'))).toMatch(
      /does not speak TLS where Cairn does .*check KAFKA_TLS or KAFKA_BROKERS/,
    );
  });

  it('leaves outages to the retry: a broker away is not a refusal', () => {
    expect(kafkaRefusalOf(wrapped('connect ECONNREFUSED 127.0.0.1:9094'))).toBeUndefined();
    expect(kafkaRefusalOf(new Error('Request Metadata timed out'))).toBeUndefined();
    expect(kafkaRefusalOf('something else')).toBeUndefined();
  });
});

it('is about Kafka only when kafkajs raised it', () => {
  expect(kafkaRefusalOf(new Error('self-signed certificate in certificate chain'))).toBeUndefined();
});
