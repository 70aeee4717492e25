import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { FRAMEWORKS, type Framework } from './catalog.types';

/** Where a framework applies: namespaces and image names (canonical, or their last segment). */
export interface ScopeSelector {
  readonly namespaces: readonly string[];
  readonly images: readonly string[];
}

/** What is in scope and who is who; configured (CAIRN_CONFIG), never guessed. */
export interface ComplianceScope {
  readonly scopes: Readonly<Partial<Record<Framework, ScopeSelector>>>;
  readonly adminGroups: readonly string[];
  readonly adminUsers: readonly string[];
  /** Machine identities, not individuals; a trailing "*" matches any rest. */
  readonly systemAccounts: readonly string[];
  readonly auditComponents: ScopeSelector;
  /** PCI DSS 10.5.1: how long events must be kept, and how long immediately available. */
  readonly retention: { readonly days: number; readonly immediateDays: number };
  /** A source silent for longer than this inside a report's window is a finding. */
  readonly silenceThresholdMinutes: number;
}

export const DEFAULT_SCOPE: ComplianceScope = {
  scopes: {},
  adminGroups: ['system:masters'],
  adminUsers: [],
  systemAccounts: ['system:*'],
  auditComponents: { namespaces: [], images: [] },
  retention: { days: 365, immediateDays: 90 },
  silenceThresholdMinutes: 60,
};

export class ScopeError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`compliance scope: ${problems.join('; ')}`);
    this.name = 'ScopeError';
  }
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const NAME = /^[A-Za-z0-9*:._@/-]{1,253}$/;

function stringList(value: unknown, path: string, problems: string[]): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) {
    problems.push(`${path}: must be a list of strings`);
    return [];
  }
  return value.flatMap((item, index) => {
    if (typeof item === 'string' && NAME.test(item)) return [item];
    problems.push(
      `${path}[${index}]: must be a name of letters, digits and . _ - : / @ * (got ${JSON.stringify(item)})`,
    );
    return [];
  });
}

function selector(value: unknown, path: string, problems: string[]): ScopeSelector {
  if (value === undefined) return { namespaces: [], images: [] };
  if (!isObject(value)) {
    problems.push(`${path}: must be a mapping with namespaces and/or images`);
    return { namespaces: [], images: [] };
  }
  for (const key of Object.keys(value)) {
    if (key !== 'namespaces' && key !== 'images')
      problems.push(`${path}.${key}: unknown key (namespaces, images)`);
  }
  return {
    namespaces: stringList(value.namespaces, `${path}.namespaces`, problems),
    images: stringList(value.images, `${path}.images`, problems),
  };
}

function positive(value: unknown, fallback: number, path: string, problems: string[]): number {
  if (value === undefined) return fallback;
  if (typeof value === 'number' && Number.isInteger(value) && value > 0 && value <= 100_000) return value;
  problems.push(`${path}: must be a whole number above 0`);
  return fallback;
}

const TOP_KEYS = [
  'scopes',
  'adminGroups',
  'adminUsers',
  'systemAccounts',
  'auditComponents',
  'retention',
  'silenceThresholdMinutes',
];

/** The `compliance:` section of a parsed config; every problem is named by its path. */
export function parseScope(section: unknown): ComplianceScope {
  const problems: string[] = [];
  if (section === undefined || section === null) return DEFAULT_SCOPE;
  if (!isObject(section)) throw new ScopeError(['compliance: must be a mapping']);
  for (const key of Object.keys(section)) {
    if (!TOP_KEYS.includes(key)) problems.push(`compliance.${key}: unknown key (${TOP_KEYS.join(', ')})`);
  }
  const scopes: Partial<Record<Framework, ScopeSelector>> = {};
  if (section.scopes !== undefined) {
    if (!isObject(section.scopes))
      problems.push('compliance.scopes: must be a mapping of framework to selector');
    else {
      for (const [framework, value] of Object.entries(section.scopes)) {
        if (!(FRAMEWORKS as readonly string[]).includes(framework)) {
          problems.push(`compliance.scopes.${framework}: unknown framework (${FRAMEWORKS.join(', ')})`);
          continue;
        }
        scopes[framework as Framework] = selector(value, `compliance.scopes.${framework}`, problems);
      }
    }
  }
  const retention = isObject(section.retention) ? section.retention : {};
  if (section.retention !== undefined && !isObject(section.retention)) {
    problems.push('compliance.retention: must be a mapping with days and immediateDays');
  }
  const scope: ComplianceScope = {
    scopes,
    adminGroups:
      section.adminGroups === undefined
        ? DEFAULT_SCOPE.adminGroups
        : stringList(section.adminGroups, 'compliance.adminGroups', problems),
    adminUsers: stringList(section.adminUsers, 'compliance.adminUsers', problems),
    systemAccounts:
      section.systemAccounts === undefined
        ? DEFAULT_SCOPE.systemAccounts
        : stringList(section.systemAccounts, 'compliance.systemAccounts', problems),
    auditComponents: selector(section.auditComponents, 'compliance.auditComponents', problems),
    retention: {
      days: positive(retention.days, DEFAULT_SCOPE.retention.days, 'compliance.retention.days', problems),
      immediateDays: positive(
        retention.immediateDays,
        DEFAULT_SCOPE.retention.immediateDays,
        'compliance.retention.immediateDays',
        problems,
      ),
    },
    silenceThresholdMinutes: positive(
      section.silenceThresholdMinutes,
      DEFAULT_SCOPE.silenceThresholdMinutes,
      'compliance.silenceThresholdMinutes',
      problems,
    ),
  };
  if (problems.length > 0) throw new ScopeError(problems);
  return scope;
}

/** A whole config file's text (YAML or JSON); its `compliance:` section is the scope. */
export function parseScopeDocument(text: string): ComplianceScope {
  let document: unknown;
  try {
    document = parse(text, { maxAliasCount: 0 });
  } catch (error) {
    throw new ScopeError([
      `not valid YAML: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
    ]);
  }
  if (document !== null && document !== undefined && !isObject(document)) {
    throw new ScopeError(['the file must hold a mapping with a compliance: section']);
  }
  return parseScope(isObject(document) ? document.compliance : undefined);
}

/** parseScopeDocument for a config file's reader: problems listed, the defaults in their place. */
export function parseScopeSection(text: string, problems: string[]): ComplianceScope {
  try {
    return parseScopeDocument(text);
  } catch (error) {
    if (!(error instanceof ScopeError)) throw error;
    problems.push(...error.problems);
    return DEFAULT_SCOPE;
  }
}

/** Changes whenever the scope does; stored with each tag so stale tags can be found. */
export function scopeFingerprint(scope: ComplianceScope): string {
  return createHash('sha256').update(JSON.stringify(scope)).digest('hex').slice(0, 12);
}
