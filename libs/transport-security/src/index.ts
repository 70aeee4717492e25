export { normalSubject, presentedSubject } from './certificate-subject';
export { firstLine, tlsRefusalOf, type TlsSettingNames } from './tls-refusal';
export { httpsServerOptions, type ServedTls } from './https-server';
