export {
  ACCESS_ACTIONS,
  accessReceivedRecord,
  accessRecord,
  type AccessRequest,
  type ReceivedRequest,
} from './access-record';
export { AccessAuditWriter } from './access-audit.writer';
export {
  GroupCommit,
  type AccessAuditLog,
  type AccessChainOptions,
  type AccessLinkUpdate,
} from './group-commit';
