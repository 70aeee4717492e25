/** The settings behind each way a TLS connection to one server can be refused. */
export interface TlsSettingNames {
  readonly server: string;
  readonly trust: string;
  readonly name: string;
  readonly clientCertificate: string;
  readonly plainPort: string;
}

// As Node's TLS layer (OpenSSL) words them; alert 42/46/48 are bad, unknown and unknown-CA
// certificates, 116 "certificate required" (TLS 1.3).
const UNTRUSTED =
  /self[- ]signed certificate|unable to verify the first certificate|unable to get local issuer|certificate has expired|certificate is not yet valid|fingerprint does not match/i;
const WRONG_NAME = /does not match certificate's altnames|Hostname\/IP does not match/i;
const CLIENT_CERTIFICATE_REFUSED =
  /alert bad certificate|certificate required|alert unknown ca|alert number (?:42|45|46|48|116)/i;
const NOT_TLS = /wrong version number|packet length too long|unknown protocol/i;

export function firstLine(text: string): string {
  return text.split('\n')[0].slice(0, 300);
}

/**
 * A TLS failure that waiting will not cure, as a sentence naming the settings to look at; undefined
 * when the text shows none (a server away, a timeout).
 */
export function tlsRefusalOf(text: string, settings: TlsSettingNames): string | undefined {
  const detail = firstLine(text);
  if (UNTRUSTED.test(text))
    return `${settings.server}'s certificate is not trusted; check ${settings.trust} (${detail})`;
  if (WRONG_NAME.test(text))
    return `${settings.server}'s certificate does not name the address Cairn connects to; check ${settings.name} (${detail})`;
  if (CLIENT_CERTIFICATE_REFUSED.test(text))
    return `${settings.server} refused the client certificate (or its absence); check ${settings.clientCertificate} (${detail})`;
  if (NOT_TLS.test(text))
    return `${settings.server} does not speak TLS where Cairn does (or the reverse); check ${settings.plainPort} (${detail})`;
  return undefined;
}
