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
  scopeFingerprint,
  ScopeError,
  type ComplianceScope,
  type ScopeSelector,
} from './scope';
