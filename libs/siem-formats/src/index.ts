export { encodeCef } from './cef/cef.encoder';
export { encodeEcs } from './ecs/ecs.encoder';
export { encodeHec, type HecOptions } from './hec/hec.encoder';
export { encodeLeef } from './leef/leef.encoder';
export { encodeOcsf, toOcsf } from './ocsf/ocsf.encoder';
export { frameSyslog, type SyslogOptions } from './syslog/syslog.frame';
export { severityLevel, type SeverityLevel } from './common/severity';
export {
  FORMATS,
  isSiemFormat,
  SIEM_FORMATS,
  type EncodeOptions,
  type FormatSpec,
  type SiemFormat,
} from './formats';
