#!/usr/bin/env node
// `npm run produce -- [--topic T] FILE...`: sends each file (or each line of a JSON-lines file)
// as one message to a raw topic, for trying Cairn out by hand. Default topic: cairn.raw.orchestrator.
'use strict';
const fs = require('node:fs');
const { Kafka, Partitioners, logLevel } = require('kafkajs');
const { kafkaOptions } = require('../run/kafka-options');

const args = process.argv.slice(2);
let topic = 'cairn.raw.orchestrator';
const files = [];
for (let i = 0; i < args.length; i += 1) {
  if (args[i] === '--topic') topic = args[(i += 1)];
  else files.push(args[i]);
}
if (files.length === 0 || !topic) {
  console.error('usage: npm run produce -- [--topic cairn.raw.orchestrator] FILE...');
  process.exit(2);
}

const messages = files.flatMap((file) => {
  const text = fs.readFileSync(file, 'utf8');
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  // A file of one JSON document spread over lines is one message; JSON lines are one each.
  const isJsonLines =
    lines.length > 1 &&
    lines.every((line) => {
      try {
        JSON.parse(line);
        return true;
      } catch {
        return false;
      }
    });
  return (isJsonLines ? lines : [text]).map((value) => ({ value }));
});

(async () => {
  const kafka = new Kafka({
    clientId: 'cairn-produce',
    ...kafkaOptions(),
    logLevel: logLevel.ERROR,
  });
  const producer = kafka.producer({ createPartitioner: Partitioners.DefaultPartitioner });
  await producer.connect();
  await producer.send({ topic, acks: -1, messages });
  await producer.disconnect();
  console.log(`sent ${messages.length} message(s) to ${topic}`);
})().catch((error) => {
  console.error(`produce failed: ${error.message}`);
  process.exit(1);
});
