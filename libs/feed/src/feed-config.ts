import { parse } from 'yaml';
import { SIEM_FORMATS, isSiemFormat, type SiemFormat } from '@cairn/siem-formats';
import { parseFeedsSection, type PushFeed } from './push/push-config';

/** CAIRN_CONFIG's `feed:` section: which formats ingest writes to Kafka, and how. */
export interface FeedSettings {
  /** Formats written to `<topicPrefix>.<format>` after each event is stored; none by default. */
  readonly formats: readonly SiemFormat[];
  readonly topicPrefix: string;
  /** Splunk HEC's `index` in hec encodings; absent, the HEC token's default index. */
  readonly hecIndex?: string;
  /** CAIRN_CONFIG's `feeds:` list: receivers Cairn pushes to (they read the ecs topic). */
  readonly pushes: readonly PushFeed[];
}

export const DEFAULT_FEED: FeedSettings = { formats: [], topicPrefix: 'cairn.feed', pushes: [] };

const TOPIC_PREFIX = /^[A-Za-z0-9._-]{1,200}$/;
const SPLUNK_INDEX = /^[a-z0-9][a-z0-9_-]{0,79}$/;
const KEYS = ['formats', 'topicPrefix', 'hecIndex'];

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export function feedTopic(settings: FeedSettings, format: SiemFormat): string {
  return `${settings.topicPrefix}.${format}`;
}

/** Every problem is named by its path in the file (feed.formats[1], feed.topicPrefix). */
export function parseFeedSection(section: unknown, problems: string[]): FeedSettings {
  if (section === undefined || section === null) return DEFAULT_FEED;
  if (!isObject(section)) {
    problems.push('feed: must be a mapping (formats, topicPrefix, hecIndex)');
    return DEFAULT_FEED;
  }
  for (const key of Object.keys(section)) {
    if (!KEYS.includes(key)) problems.push(`feed.${key}: unknown key (${KEYS.join(', ')})`);
  }
  const formats: SiemFormat[] = [];
  const listed = section.formats ?? [];
  if (!Array.isArray(listed)) {
    problems.push(`feed.formats: must be a list of formats (${SIEM_FORMATS.join(', ')})`);
  } else {
    listed.forEach((format: unknown, index) => {
      if (typeof format !== 'string' || !isSiemFormat(format)) {
        problems.push(
          `feed.formats[${index}]: ${JSON.stringify(format)} is not one of ${SIEM_FORMATS.join(', ')}`,
        );
      } else if (formats.includes(format)) {
        problems.push(`feed.formats[${index}]: ${format} is listed twice`);
      } else {
        formats.push(format);
      }
    });
  }
  const topicPrefix = section.topicPrefix ?? DEFAULT_FEED.topicPrefix;
  if (typeof topicPrefix !== 'string' || !TOPIC_PREFIX.test(topicPrefix)) {
    problems.push(
      'feed.topicPrefix: must be 1-200 letters, digits, ".", "_" or "-" (a Kafka topic name prefix)',
    );
  }
  const hecIndex = section.hecIndex;
  if (hecIndex !== undefined && (typeof hecIndex !== 'string' || !SPLUNK_INDEX.test(hecIndex))) {
    problems.push('feed.hecIndex: must be a Splunk index name (lower case letters, digits, "_" or "-")');
  }
  return {
    formats,
    topicPrefix: typeof topicPrefix === 'string' ? topicPrefix : DEFAULT_FEED.topicPrefix,
    ...(typeof hecIndex === 'string' && { hecIndex }),
    pushes: [],
  };
}

/** A whole config file's text (YAML or JSON); its `feed:` section. */
export function parseFeedDocument(text: string, problems: string[]): FeedSettings {
  let document: unknown;
  try {
    document = parse(text, { maxAliasCount: 0 });
  } catch {
    return DEFAULT_FEED; // the file's reader (@cairn/config's ConfigFile) names the YAML error
  }
  const settings = parseFeedSection(isObject(document) ? document.feed : undefined, problems);
  const pushes = parseFeedsSection(isObject(document) ? document.feeds : undefined, problems);
  // Push feeds read the stored documents from the ecs topic, so it is written whenever one exists.
  const formats: SiemFormat[] =
    pushes.length > 0 && !settings.formats.includes('ecs')
      ? ['ecs', ...settings.formats]
      : [...settings.formats];
  return { ...settings, formats, pushes };
}
