/** The search page's inputs, as typed: every `EventFilter` field, lists comma-separated. */
export interface SearchForm {
  readonly text: string;
  readonly actor: string;
  readonly actions: string;
  readonly products: string;
  readonly sourceKinds: string;
  readonly outcomes: string;
  readonly namespace: string;
  readonly pod: string;
  readonly containerId: string;
  readonly image: string;
  readonly cluster: string;
  readonly sourceIp: string;
  readonly framework: string;
  readonly control: string;
  readonly from: string;
  readonly to: string;
}

export const FORM_FIELDS = [
  'text',
  'actor',
  'actions',
  'products',
  'sourceKinds',
  'outcomes',
  'namespace',
  'pod',
  'containerId',
  'image',
  'cluster',
  'sourceIp',
  'framework',
  'control',
  'from',
  'to',
] as const satisfies readonly (keyof SearchForm)[];

export const SOURCE_KINDS = ['ORCHESTRATOR', 'RUNTIME', 'REGISTRY', 'POLICY', 'CAIRN'] as const;
export const OUTCOMES = ['SUCCESS', 'FAILURE', 'UNKNOWN'] as const;
export const FRAMEWORKS = ['PCI_DSS', 'HIPAA', 'GDPR'] as const;

export type EventFilter = Record<string, string | string[] | { framework: string; id: string }>;

const listOf = (value: string) =>
  value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item !== '');

/** A time as typed (`2026-12-01T10:00`, with or without seconds or zone): read as UTC when bare. */
export function timeOf(value: string): string | undefined {
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  const zoned = /(Z|[+-]\d\d:\d\d)$/.test(trimmed) ? trimmed : `${trimmed}Z`;
  const ms = Date.parse(zoned);
  return Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

function enumList(name: string, value: string, allowed: readonly string[], problems: string[]) {
  const items = listOf(value).map((item) => item.toUpperCase());
  const unknown = items.filter((item) => !allowed.includes(item));
  if (unknown.length > 0) problems.push(`${name}: ${unknown.join(', ')} is not one of ${allowed.join(', ')}`);
  return items;
}

/**
 * The `EventFilter` the form asks for, or the problems that keep it from being asked: checked
 * here so a typo gets a sentence beside its field, not a round trip for BAD_USER_INPUT.
 */
export function filterOf(form: Partial<SearchForm>): { filter: EventFilter } | { problems: string[] } {
  const problems: string[] = [];
  const filter: EventFilter = {};
  for (const name of ['text', 'actor', 'namespace', 'pod', 'image', 'cluster', 'sourceIp'] as const) {
    const value = form[name]?.trim();
    if (value) filter[name] = value;
  }
  const containerId = form.containerId?.trim().toLowerCase();
  if (containerId) {
    if (!/^[0-9a-f]{12,64}$/.test(containerId)) problems.push('containerId: 12 to 64 hexadecimal characters');
    else filter.containerId = containerId;
  }
  for (const name of ['actions', 'products'] as const) {
    const items = listOf(form[name] ?? '');
    if (items.length > 0)
      filter[name] = name === 'products' ? items.map((item) => item.toLowerCase()) : items;
  }
  const kinds = enumList('sourceKinds', form.sourceKinds ?? '', SOURCE_KINDS, problems);
  if (kinds.length > 0) filter.sourceKinds = kinds;
  const outcomes = enumList('outcomes', form.outcomes ?? '', OUTCOMES, problems);
  if (outcomes.length > 0) filter.outcomes = outcomes;
  const control = form.control?.trim();
  if (control) {
    const framework = form.framework?.trim() ?? '';
    if (!(FRAMEWORKS as readonly string[]).includes(framework))
      problems.push(`control: choose its framework (${FRAMEWORKS.join(', ')})`);
    else filter.control = { framework, id: control };
  }
  for (const name of ['from', 'to'] as const) {
    const raw = form[name]?.trim();
    if (!raw) continue;
    const time = timeOf(raw);
    if (time) filter[name] = time;
    else problems.push(`${name}: not a time (e.g. 2026-12-01T10:00)`);
  }
  if (typeof filter.from === 'string' && typeof filter.to === 'string' && filter.from > filter.to)
    problems.push('from: must not be after to');
  return problems.length > 0 ? { problems } : { filter };
}
