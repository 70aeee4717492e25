/**
 * The rule language: declarative matchers over normalized fields plus a few predicates the
 * configured scope answers (who is human, who is an administrator, what is an audit component,
 * what is inside a framework's scope). Rules are data; `engine.ts` is their only interpreter.
 */
export type Scalar = string | number | boolean;

export type Matcher =
  | { readonly field: string; readonly equals: Scalar }
  | { readonly field: string; readonly in: readonly Scalar[] }
  | { readonly field: string; readonly prefix: string }
  | { readonly field: string; readonly exists: boolean }
  /** A number at or above the threshold (severity counts, response codes). */
  | { readonly field: string; readonly atLeast: number }
  | { readonly field: string; readonly atMost: number }
  | { readonly all: readonly Matcher[] }
  | { readonly any: readonly Matcher[] }
  | { readonly not: Matcher }
  /** human: a named actor that is not a system account; machine: one that is. */
  | { readonly actor: 'human' | 'machine' | 'admin' }
  /** The event's namespace or image belongs to the audit trail's own components. */
  | { readonly auditComponent: true }
  /**
   * The event is inside a framework's configured scope: for a cluster-wide control whose one rule
   * counts only what happens in scope (HIPAA 164.312(b): activity recorded in ePHI systems).
   */
  | { readonly inScopeOf: 'PCI_DSS' | 'HIPAA' | 'GDPR' };

export interface Rule {
  /** Stable within its control, used in test names and the README table. */
  readonly id: string;
  readonly description: string;
  readonly when: Matcher;
}
