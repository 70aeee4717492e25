export { CATALOG_VERSION, CONTROLS, FRAMEWORK_INFO, PCI_RECORD_FIELDS } from './catalog';
export {
  FRAMEWORKS,
  type Control,
  type Framework,
  type FrameworkInfo,
  type ReportExtra,
} from './catalog.types';
export { ComplianceEngine, controlRef } from './engine';
export type { Matcher, Rule } from './rule';
export {
  DEFAULT_SCOPE,
  parseScope,
  parseScopeDocument,
  parseScopeSection,
  scopeFingerprint,
  ScopeError,
  type ComplianceScope,
  type ScopeSelector,
} from './scope';
export { reportAsCsv, reportAsMarkdown } from './report-render/render-report';
export { REPORT_SELECTION, type ReportDocument } from './report-render/report-document';
