export { firstLine, tlsRefusalOf, type TlsSettingNames } from './tls-refusal';
