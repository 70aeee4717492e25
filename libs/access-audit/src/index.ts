export { accessRecord, type AccessRequest } from './access-record';
export { AccessAuditWriter } from './access-audit.writer';
