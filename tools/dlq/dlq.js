#!/usr/bin/env node
// `npm run dlq -- list [--code CODE] [--topic cairn.dlq]`
// `npm run dlq -- redrive [--code CODE] [--from-topic RAW_TOPIC] [--to RAW_TOPIC] [--topic cairn.dlq]`
// Lists dead letters (one JSON line each, without their bytes), or sends their original bytes back
// to the raw topic they came from (or --to) after a fix. Event ids are deterministic, so
// re-driving twice is harmless. Reads the whole topic with a throw-away group and commits nothing.
'use strict';
const { randomBytes } = require('node:crypto');
const { Kafka, Partitioners, logLevel } = require('kafkajs');
const { kafkaOptions } = require('../run/kafka-options');

const HEADERS = {
  code: 'cairn.error.code',
  message: 'cairn.error.message',
  topic: 'cairn.source.topic',
  partition: 'cairn.source.partition',
  offset: 'cairn.source.offset',
  firstFailure: 'cairn.error.first_failure',
  attempts: 'cairn.error.attempts',
};

function parseArgs(argv) {
  const [command, ...rest] = argv;
  const options = { command, topic: process.env.CAIRN_TOPIC_DEAD_LETTER || 'cairn.dlq' };
  for (let i = 0; i < rest.length; i += 2) {
    const key = rest[i].replace(/^--/, '');
    if (!['code', 'topic', 'from-topic', 'to'].includes(key) || rest[i + 1] === undefined) usage();
    options[key] = rest[i + 1];
  }
  if (!['list', 'redrive'].includes(command)) usage();
  return options;
}

function usage() {
  console.error(
    'usage: npm run dlq -- list|redrive [--code CODE] [--from-topic TOPIC] [--to TOPIC] [--topic DLQ]',
  );
  process.exit(2);
}

/** Every message in the topic as it is now, read once from the beginning. */
async function readAll(kafka, topic) {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const pending = new Map(ends.filter((e) => e.high !== e.low).map((e) => [e.partition, BigInt(e.high)]));
  const letters = [];
  if (pending.size === 0) return letters;
  const consumer = kafka.consumer({ groupId: `cairn-dlq-reader-${randomBytes(6).toString('hex')}` });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await new Promise((resolve, reject) => {
    consumer
      .run({
        autoCommit: false,
        eachMessage: async ({ partition, message }) => {
          const header = (name) =>
            message.headers?.[name] === undefined ? undefined : String(message.headers[name]);
          // The intake's sender binding goes back with the bytes, so a redriven event keeps its cluster.
          const intake = Object.fromEntries(
            Object.keys(message.headers || {})
              .filter((name) => name.startsWith('cairn-intake-'))
              .map((name) => [name, header(name)]),
          );
          letters.push({
            intake,
            partition,
            offset: message.offset,
            code: header(HEADERS.code),
            message: header(HEADERS.message),
            sourceTopic: header(HEADERS.topic),
            sourcePartition: header(HEADERS.partition),
            sourceOffset: header(HEADERS.offset),
            firstFailure: header(HEADERS.firstFailure),
            attempts: header(HEADERS.attempts),
            key: message.key,
            value: message.value,
          });
          if (BigInt(message.offset) + 1n >= pending.get(partition)) pending.delete(partition);
          if (pending.size === 0) resolve();
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  return letters;
}

async function main() {
  // `npm run dlq -- list | head` closes the pipe early; that is not an error.
  process.stdout.on('error', (error) => process.exit(error.code === 'EPIPE' ? 0 : 1));
  const options = parseArgs(process.argv.slice(2));
  const kafka = new Kafka({
    clientId: 'cairn-dlq',
    ...kafkaOptions(),
    logLevel: logLevel.ERROR,
  });
  const selected = (await readAll(kafka, options.topic)).filter(
    (l) =>
      (!options.code || l.code === options.code) &&
      (!options['from-topic'] || l.sourceTopic === options['from-topic']),
  );
  if (options.command === 'list') {
    for (const { key: _key, value, intake: _intake, ...letter } of selected) {
      process.stdout.write(`${JSON.stringify({ ...letter, bytes: value ? value.length : 0 })}\n`);
    }
    return;
  }
  const producer = kafka.producer({
    createPartitioner: Partitioners.DefaultPartitioner,
    allowAutoTopicCreation: false,
  });
  await producer.connect();
  const byTopic = new Map();
  for (const letter of selected) {
    const target = options.to || letter.sourceTopic;
    if (!target) continue;
    const messages = byTopic.get(target) || [];
    messages.push({
      key: letter.key,
      value: letter.value,
      headers: {
        ...letter.intake,
        'cairn.redriven_from': `${options.topic}/${letter.partition}/${letter.offset}`,
      },
    });
    byTopic.set(target, messages);
  }
  let sent = 0;
  for (const [topic, messages] of byTopic) {
    await producer.send({ topic, acks: -1, messages });
    sent += messages.length;
  }
  await producer.disconnect();
  process.stdout.write(`re-drove ${sent} dead letter(s)${options.to ? ` to ${options.to}` : ''}\n`);
}

main().catch((error) => {
  console.error(`dlq: ${error.message}`);
  process.exit(1);
});
