import type { AuditEventDocument } from '@cairn/event-schema';
import { CATALOG_VERSION, CONTROLS } from './catalog';
import type { Control, Framework } from './catalog.types';
import type { Matcher, Scalar } from './rule';
import { scopeFingerprint, type ComplianceScope, type ScopeSelector } from './scope';

/** `FRAMEWORK:control`, as stored in cairn.compliance.controls. */
export const controlRef = (control: Pick<Control, 'framework' | 'id'>): string =>
  `${control.framework}:${control.id}`;

function values(document: unknown, path: string): Scalar[] {
  let nodes: unknown[] = [document];
  for (const key of path.split('.')) {
    nodes = nodes.flatMap((node) => {
      if (typeof node !== 'object' || node === null) return [];
      const child = (node as Record<string, unknown>)[key];
      return Array.isArray(child) ? (child as unknown[]) : child === undefined ? [] : [child];
    });
  }
  return nodes.filter(
    (value): value is Scalar =>
      typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean',
  );
}

const matchesName = (patterns: readonly string[], name: string) =>
  patterns.some((pattern) =>
    pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern,
  );

/** A configured image matches the canonical name, or its path without registry, or its last segment. */
const matchesImage = (patterns: readonly string[], image: string) =>
  patterns.some((pattern) => image === pattern || image.endsWith(`/${pattern}`));

/**
 * Evaluates the catalog's rules against one normalized event. Pure and synchronous: ingest calls
 * it for every event, the re-tag command for every stored one, tests for every rule.
 */
export class ComplianceEngine {
  /** The catalog's version and the scope's fingerprint: a tag made under either other is stale. */
  readonly version: string;

  constructor(
    private readonly scope: ComplianceScope,
    readonly controls: readonly Control[] = CONTROLS,
  ) {
    this.version = `${CATALOG_VERSION}+${scopeFingerprint(scope)}`;
  }

  /** The controls an event evidences, as sorted `FRAMEWORK:control` strings. */
  controlsFor(document: AuditEventDocument): string[] {
    const found = this.controls.filter(
      (control) =>
        (control.applies === 'cluster' || this.inScope(document, control.framework)) &&
        control.rules.some((rule) => this.matches(rule.when, document)),
    );
    return [...new Set(found.map(controlRef))].sort();
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

  private selects(selector: ScopeSelector, document: AuditEventDocument): boolean {
    const namespace = document.kubernetes?.namespace ?? document.orchestrator?.namespace;
    if (namespace !== undefined && selector.namespaces.includes(namespace)) return true;
    const images = [
      ...values(document, 'container.image.name'),
      ...values(document, 'kubernetes.request.images'),
    ];
    return images.some((image) => typeof image === 'string' && matchesImage(selector.images, image));
  }

  private isHuman(document: AuditEventDocument): boolean {
    const name = document.user?.name;
    return name !== undefined && !matchesName(this.scope.systemAccounts, name);
  }

  private isAdmin(document: AuditEventDocument): boolean {
    const name = document.user?.name;
    if (name !== undefined && matchesName(this.scope.adminUsers, name)) return true;
    return (document.user?.group?.name ?? []).some((group) => matchesName(this.scope.adminGroups, group));
  }

  matches(matcher: Matcher, document: AuditEventDocument): boolean {
    if ('all' in matcher) return matcher.all.every((inner) => this.matches(inner, document));
    if ('any' in matcher) return matcher.any.some((inner) => this.matches(inner, document));
    if ('not' in matcher) return !this.matches(matcher.not, document);
    if ('actor' in matcher) {
      if (matcher.actor === 'admin') return this.isAdmin(document);
      const named = document.user?.name !== undefined;
      return named && (matcher.actor === 'human') === this.isHuman(document);
    }
    if ('auditComponent' in matcher) return this.selects(this.scope.auditComponents, document);
    const found = values(document, matcher.field);
    if ('exists' in matcher) return found.length > 0 === matcher.exists;
    if ('equals' in matcher) return found.some((value) => value === matcher.equals);
    if ('in' in matcher) return found.some((value) => matcher.in.includes(value));
    if ('prefix' in matcher)
      return found.some((value) => typeof value === 'string' && value.startsWith(matcher.prefix));
    if ('atLeast' in matcher)
      return found.some((value) => typeof value === 'number' && value >= matcher.atLeast);
    return found.some((value) => typeof value === 'number' && value <= matcher.atMost);
  }
}
