import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { loadKafkaCommandConfig } from '@cairn/config';
import { createCompleteProducer, createKafka } from '@cairn/kafka';
import { Progress } from '../progress';
import { UsageError } from '../usage-error';
import type { CliCommand, CommandContext } from './cli-command';

const HELP = `usage: cairn produce [--to orchestrator|runtime|registry | --topic TOPIC] [FILE...]

Sends each FILE as one message to a raw topic (a file of JSON lines: one message per line), or
with no FILE each non-empty line of stdin. --to names one of Cairn's raw topics (default
orchestrator, as CAIRN_TOPIC_* name them); --topic any topic. Waits until every in-sync replica
has them (acks -1). Kafka settings as for the apps (KAFKA_BROKERS, KAFKA_TLS_*, KAFKA_SASL_*).`;

/** A file of one JSON document spread over lines is one message; a file of JSON lines is one each. */
export function messagesOfFile(text: string): string[] {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  if (lines.length === 0) return [];
  const jsonLines =
    lines.length > 1 &&
    lines.every((line) => {
      try {
        JSON.parse(line);
        return true;
      } catch {
        return false;
      }
    });
  return jsonLines ? lines : [text];
}

async function stdinLines(context: CommandContext): Promise<string[]> {
  if (context.stdin.isTTY) throw new UsageError('produce: give files, or pipe lines to stdin');
  const lines: string[] = [];
  for await (const line of createInterface({ input: context.stdin }))
    if (line.trim() !== '') lines.push(line);
  return lines;
}

export const produceCommand: CliCommand = {
  name: 'produce',
  summary: 'send files or stdin lines to a raw topic',
  help: HELP,
  run: async (context) => {
    const { values, positionals } = parseArgs({
      args: [...context.args],
      allowPositionals: true,
      strict: true,
      options: { to: { type: 'string' }, topic: { type: 'string' } },
    });
    if (values.to !== undefined && values.topic !== undefined)
      throw new UsageError('produce: --to or --topic, not both');
    const role = values.to ?? 'orchestrator';
    if (!['orchestrator', 'runtime', 'registry'].includes(role))
      throw new UsageError('produce: --to is orchestrator, runtime or registry');
    const config = loadKafkaCommandConfig();
    const topic = values.topic ?? config.topics[role as 'orchestrator' | 'runtime' | 'registry'];
    const messages =
      positionals.length > 0
        ? (
            await Promise.all(positionals.map(async (file) => messagesOfFile(await readFile(file, 'utf8'))))
          ).flat()
        : await stdinLines(context);
    if (messages.length === 0) throw new UsageError('produce: nothing to send');
    const producer = createCompleteProducer(createKafka(config.kafka), { allowAutoTopicCreation: false });
    await producer.connect();
    const progress = new Progress(`produce ${topic}`);
    try {
      for (let start = 0; start < messages.length; start += 1000) {
        await producer.send({
          topic,
          acks: -1,
          messages: messages.slice(start, start + 1000).map((value) => ({ value })),
        });
        if (start + 1000 < messages.length) progress.update(start + 1000, messages.length);
      }
    } finally {
      await producer.disconnect();
    }
    progress.update(messages.length, messages.length, true);
    return {
      output: { topic, sent: messages.length },
      text: `sent ${messages.length} message(s) to ${topic}`,
      code: 0,
    };
  },
};
