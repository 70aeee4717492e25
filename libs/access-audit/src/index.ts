export { ACCESS_ACTIONS, accessRecord, type AccessRequest } from './access-record';
export { AccessAuditWriter } from './access-audit.writer';
export {
  GroupCommit,
  type AccessAuditLog,
  type AccessChainOptions,
  type AccessLinkUpdate,
} from './group-commit';
