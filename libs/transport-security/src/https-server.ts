/** What an HTTPS server of Cairn's is started with: its certificate and key, and a client CA or not. */
export interface ServedTls {
  readonly cert: string;
  readonly key: string;
  readonly clientCa?: string;
}

/**
 * Node's HTTPS options for it: TLS 1.2 or later; with a client CA a client certificate is asked
 * for but not required (tokens remain a way in), and only one the CA signed authenticates — the
 * route policy or the intake reads `socket.authorized`.
 */
export function httpsServerOptions(tls: ServedTls) {
  return {
    cert: tls.cert,
    key: tls.key,
    minVersion: 'TLSv1.2' as const,
    ...(tls.clientCa && { ca: tls.clientCa, requestCert: true, rejectUnauthorized: false }),
  };
}
