import { PRODUCTS, type AuditEventDocument } from '@cairn/event-schema';
import { CATALOG_VERSION, CONTROLS } from './catalog';
import type { Control, Framework } from './catalog.types';
import type { Matcher, Scalar } from './rule';
import { scopeFingerprint, type ComplianceScope, type ScopeSelector } from './scope';

/** `FRAMEWORK:control`, as stored in cairn.compliance.controls. */
export const controlRef = (control: Pick<Control, 'framework' | 'id'>): string =>
  `${control.framework}:${control.id}`;

type Predicate = (document: AuditEventDocument) => boolean;

/**
 * A field's values: scalars, or the scalars of an array at any step of the path. Compiled once
 * per field name; the common case (plain objects down to a scalar) allocates nothing.
 */
function fieldReader(path: string): (document: unknown) => unknown {
  const keys = path.split('.');
  const slow = (node: unknown, from: number): unknown[] => {
    const out: unknown[] = [];
    const visit = (value: unknown, depth: number) => {
      if (Array.isArray(value)) for (const item of value) visit(item, depth);
      else if (depth === keys.length) out.push(value);
      else if (typeof value === 'object' && value !== null)
        visit((value as Record<string, unknown>)[keys[depth]], depth + 1);
    };
    visit(node, from);
    return out;
  };
  return (document) => {
    let node: unknown = document;
    for (let i = 0; i < keys.length; i += 1) {
      if (typeof node !== 'object' || node === null) return undefined;
      if (Array.isArray(node)) return slow(node, i);
      node = (node as Record<string, unknown>)[keys[i]];
    }
    return node;
  };
}

/** True when the value, or any item of it when it is an array, passes the test. */
function some(value: unknown, test: (scalar: Scalar) => boolean): boolean {
  if (Array.isArray(value)) return value.some((item) => some(item, test));
  return (
    (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') && test(value)
  );
}

const present = (value: unknown): boolean =>
  value !== undefined && value !== null && !(Array.isArray(value) && value.every((item) => !present(item)));

const matchesName = (patterns: readonly string[], name: string) =>
  patterns.some((pattern) =>
    pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern,
  );

/** A configured image matches the canonical name, or its path without registry, or its last segment. */
const matchesImage = (patterns: readonly string[], image: string) =>
  patterns.some((pattern) => image === pattern || image.endsWith(`/${pattern}`));

type ScalarMatcher = Exclude<Extract<Matcher, { field: string }>, { exists: boolean }>;

/** The comparison of a field matcher, built once so evaluating it allocates nothing. */
function scalarTest(matcher: ScalarMatcher): (value: Scalar) => boolean {
  if ('equals' in matcher) {
    const expected = matcher.equals;
    return (value) => value === expected;
  }
  if ('in' in matcher) {
    const allowed = new Set<Scalar>(matcher.in);
    return (value) => allowed.has(value);
  }
  if ('prefix' in matcher) {
    const prefix = matcher.prefix;
    return (value) => typeof value === 'string' && value.startsWith(prefix);
  }
  if ('atLeast' in matcher) {
    const threshold = matcher.atLeast;
    return (value) => typeof value === 'number' && value >= threshold;
  }
  const ceiling = matcher.atMost;
  return (value) => typeof value === 'number' && value <= ceiling;
}

interface CompiledControl {
  readonly ref: string;
  readonly framework: Framework;
  readonly scoped: boolean;
  readonly rules: readonly Predicate[];
}

const PRODUCT_FIELD = 'cairn.product';

/**
 * The products a rule can match at all, when it says so itself (`cairn.product` equals or in,
 * on its own or as one condition of an `all`); undefined when any product could match.
 */
function productsOf(matcher: Matcher): ReadonlySet<Scalar> | undefined {
  const conditions = 'all' in matcher ? matcher.all : [matcher];
  for (const condition of conditions) {
    if (!('field' in condition) || condition.field !== PRODUCT_FIELD) continue;
    if ('equals' in condition) return new Set([condition.equals]);
    if ('in' in condition) return new Set(condition.in);
  }
  return undefined;
}

/**
 * Evaluates the catalog's rules against one normalized event. Pure and synchronous: ingest calls
 * it for every event, the re-tag command for every stored one, tests for every rule. Rules are
 * compiled into closures once, so an event costs a few microseconds, not a walk of the catalog.
 */
export class ComplianceEngine {
  /** The catalog's version and the scope's fingerprint: a tag made under either other is stale. */
  readonly version: string;
  private readonly compiled: readonly CompiledControl[];
  /**
   * Per product, the controls with only the rules that product can match: about half the rules
   * name one source, and an event is evaluated against the others only. A product not listed
   * (none is, after validation) is evaluated against every rule.
   */
  private readonly byProduct: ReadonlyMap<Scalar, readonly CompiledControl[]>;
  private readonly cache = new WeakMap<Matcher, Predicate>();

  constructor(
    private readonly scope: ComplianceScope,
    readonly controls: readonly Control[] = CONTROLS,
  ) {
    this.version = `${CATALOG_VERSION}+${scopeFingerprint(scope)}`;
    const rules = controls.map((control) =>
      control.rules.map((rule) => ({ test: this.compile(rule.when), products: productsOf(rule.when) })),
    );
    const compiledFor = (product?: Scalar): CompiledControl[] =>
      controls
        .map((control, i) => ({
          ref: controlRef(control),
          framework: control.framework,
          scoped: control.applies === 'scoped',
          rules: rules[i]
            .filter((rule) => product === undefined || !rule.products || rule.products.has(product))
            .map((rule) => rule.test),
        }))
        .filter((control) => control.rules.length > 0);
    this.compiled = compiledFor();
    this.byProduct = new Map(PRODUCTS.map((product) => [product, compiledFor(product)]));
  }

  /** The controls an event evidences, as sorted `FRAMEWORK:control` strings. */
  controlsFor(document: AuditEventDocument): string[] {
    const inScope = new Map<Framework, boolean>();
    const found: string[] = [];
    for (const control of this.byProduct.get(document.cairn?.product) ?? this.compiled) {
      if (control.scoped) {
        let scoped = inScope.get(control.framework);
        if (scoped === undefined)
          inScope.set(control.framework, (scoped = this.inScope(document, control.framework)));
        if (!scoped) continue;
      }
      if (control.rules.some((rule) => rule(document))) found.push(control.ref);
    }
    return found.sort();
  }

  /** The event with its tags (a new object; the input is left alone). */
  tag(document: AuditEventDocument): AuditEventDocument {
    return {
      ...document,
      cairn: {
        ...document.cairn,
        compliance: { controls: this.controlsFor(document), version: this.version },
      },
    };
  }

  isConfigured(framework: Framework): boolean {
    const selector = this.scope.scopes[framework];
    return !!selector && selector.namespaces.length + selector.images.length > 0;
  }

  inScope(document: AuditEventDocument, framework: Framework): boolean {
    const selector = this.scope.scopes[framework];
    return !!selector && this.selects(selector, document);
  }

  /** One matcher against one event (tests use it rule by rule). */
  matches(matcher: Matcher, document: AuditEventDocument): boolean {
    let predicate = this.cache.get(matcher);
    if (!predicate) this.cache.set(matcher, (predicate = this.compile(matcher)));
    return predicate(document);
  }

  private selects(selector: ScopeSelector, document: AuditEventDocument): boolean {
    const namespace = document.kubernetes?.namespace ?? document.orchestrator?.namespace;
    if (namespace !== undefined && selector.namespaces.includes(namespace)) return true;
    if (selector.images.length === 0) return false;
    const images = [document.container?.image?.name, ...(document.kubernetes?.request?.images ?? [])];
    return images.some((image) => image !== undefined && matchesImage(selector.images, image));
  }

  private compile(matcher: Matcher): Predicate {
    if ('all' in matcher) {
      const inner = matcher.all.map((m) => this.compile(m));
      return (document) => inner.every((predicate) => predicate(document));
    }
    if ('any' in matcher) {
      const inner = matcher.any.map((m) => this.compile(m));
      return (document) => inner.some((predicate) => predicate(document));
    }
    if ('not' in matcher) {
      const inner = this.compile(matcher.not);
      return (document) => !inner(document);
    }
    if ('actor' in matcher) {
      const { systemAccounts, adminUsers, adminGroups } = this.scope;
      if (matcher.actor === 'admin') {
        return (document) => {
          const name = document.user?.name;
          if (name !== undefined && matchesName(adminUsers, name)) return true;
          return (document.user?.group?.name ?? []).some((group) => matchesName(adminGroups, group));
        };
      }
      const human = matcher.actor === 'human';
      return (document) => {
        const name = document.user?.name;
        return name !== undefined && human !== matchesName(systemAccounts, name);
      };
    }
    if ('inScopeOf' in matcher) {
      const framework = matcher.inScopeOf;
      return (document) => this.inScope(document, framework);
    }
    if ('auditComponent' in matcher) {
      const selector = this.scope.auditComponents;
      return (document) => this.selects(selector, document);
    }
    const read = fieldReader(matcher.field);
    if ('exists' in matcher) {
      const wanted = matcher.exists;
      return (document) => present(read(document)) === wanted;
    }
    const test = scalarTest(matcher);
    return (document) => some(read(document), test);
  }
}
