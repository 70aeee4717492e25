import { parseArgs } from 'node:util';
import { loadKafkaCommandConfig } from '@cairn/config';
import { createKafka, readDeadLetterTopic, redriveDeadLetters } from '@cairn/kafka';
import { UsageError } from '../usage-error';
import type { CliCommand } from './cli-command';

const HELP = `usage: cairn dlq list [--code CODE] [--from-topic RAW_TOPIC] [--topic DLQ]
       cairn dlq redrive [--code CODE] [--from-topic RAW_TOPIC] [--to RAW_TOPIC] [--topic DLQ]

list: the dead letters (why, where from, size; not their bytes). redrive: their original bytes
back to the raw topic each came from (or --to) after a fix, with the intake's sender binding and a
cairn.redriven_from header; ids are deterministic, so re-driving twice stores once. Reads the whole
dead-letter topic (CAIRN_TOPIC_DEAD_LETTER, or --topic) with a throw-away group; commits nothing.`;

export const dlqCommand: CliCommand = {
  name: 'dlq',
  summary: 'list dead letters, or re-drive them to their raw topics after a fix',
  help: HELP,
  run: async ({ args, log }) => {
    const { values, positionals } = parseArgs({
      args: [...args],
      allowPositionals: true,
      strict: true,
      options: {
        code: { type: 'string' },
        'from-topic': { type: 'string' },
        to: { type: 'string' },
        topic: { type: 'string' },
      },
    });
    const [action, ...extra] = positionals;
    if ((action !== 'list' && action !== 'redrive') || extra.length > 0)
      throw new UsageError('dlq: say list or redrive');
    if (action === 'list' && values.to !== undefined) throw new UsageError('dlq list: --to is for redrive');
    const config = loadKafkaCommandConfig();
    const kafka = createKafka(config.kafka);
    const topic = values.topic ?? config.topics.deadLetter;
    const letters = await readDeadLetterTopic(kafka, topic, {
      code: values.code,
      fromTopic: values['from-topic'],
    });
    if (action === 'list') {
      const listed = letters.map(({ key: _key, value, intake, ...letter }) => ({
        ...letter,
        ...(Object.keys(intake).length > 0 && { intake }),
        bytes: value?.length ?? 0,
      }));
      return {
        output: { topic, letters: listed },
        text: listed.map((letter) => JSON.stringify(letter)).join('\n') || `no dead letters in ${topic}`,
        code: 0,
      };
    }
    log(`dlq: re-driving ${letters.length} dead letter(s) from ${topic}`);
    const sent = await redriveDeadLetters(kafka, topic, letters, values.to);
    const total = Object.values(sent).reduce((sum, count) => sum + count, 0);
    return {
      output: { topic, redriven: total, byTopic: sent },
      text: `re-drove ${total} dead letter(s)`,
      code: 0,
    };
  },
};
