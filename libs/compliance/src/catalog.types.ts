import type { Rule } from './rule';

export const FRAMEWORKS = ['PCI_DSS', 'HIPAA', 'GDPR'] as const;
export type Framework = (typeof FRAMEWORKS)[number];

/** What the report adds to a control beyond its evidence count. */
export type ReportExtra = 'field-completeness' | 'retention' | 'silence-gaps' | 'integrity-verifications';

export interface Control {
  readonly framework: Framework;
  /** As the framework numbers it: "10.2.1.4", "164.312(b)", "Art. 32". */
  readonly id: string;
  readonly title: string;
  /** In our own words: what the control asks for and what Cairn shows for it. */
  readonly summary: string;
  readonly citation: string;
  /**
   * scoped: only events inside the framework's configured scope (data-access controls);
   * cluster: every event (administration, credentials, invalid access, audit logging).
   */
  readonly applies: 'scoped' | 'cluster';
  /** Fields an event must carry to serve as complete evidence (PCI 10.2.2 measures them). */
  readonly requiredFields?: readonly string[];
  /** Evidence is any event one of these rules matches. Report-only controls have none. */
  readonly rules: readonly Rule[];
  readonly report?: readonly ReportExtra[];
}

export interface FrameworkInfo {
  readonly id: Framework;
  readonly name: string;
  readonly version: string;
  readonly citation: string;
}
