import { readFileSync } from 'node:fs';
import { connect as connectTcp, type Socket } from 'node:net';
import { connect as connectTls } from 'node:tls';
import type { SyslogTarget } from './push-config';

/** Where a syslog sender's TLS material comes from, read once at start-up. */
export function tlsMaterialOf(target: SyslogTarget): { ca?: string; cert?: string; key?: string } {
  if (target.tls === false) return {};
  return {
    ca: target.tls.caFile ? readFileSync(target.tls.caFile, 'utf8') : undefined,
    cert: target.tls.certFile ? readFileSync(target.tls.certFile, 'utf8') : undefined,
    key: target.tls.keyFile ? readFileSync(target.tls.keyFile, 'utf8') : undefined,
  };
}

/**
 * One connection to a syslog receiver, TLS by default (RFC 5425; the receiver's certificate is
 * verified against the CA file or the system's), opened on first use and again after a failure.
 * Syslog has no acknowledgement: a batch counts as delivered once the connection took all of it.
 */
export class SyslogSender {
  private socket?: Socket;
  private failure?: Error;

  constructor(
    private readonly target: SyslogTarget,
    private readonly material: { ca?: string; cert?: string; key?: string },
    private readonly connectTimeoutMs = 10_000,
  ) {}

  async send(frames: readonly string[]): Promise<void> {
    if (frames.length === 0) return;
    const socket = await this.connected();
    await new Promise<void>((resolve, reject) => {
      socket.write(frames.join(''), 'utf8', (error) => (error ? reject(error) : resolve()));
    });
    // An error the peer reported while we wrote (reset, TLS alert) fails the batch too.
    if (this.failure) throw this.failure;
  }

  close(): void {
    this.socket?.destroy();
    this.socket = undefined;
  }

  private async connected(): Promise<Socket> {
    if (this.socket && !this.socket.destroyed && !this.failure) return this.socket;
    this.close();
    this.failure = undefined;
    const { host, port } = this.target;
    const socket =
      this.target.tls === false
        ? connectTcp({ host, port })
        : connectTls({
            host,
            port,
            servername: this.target.tls.serverName ?? (/^[\d.:[\]]+$/.test(host) ? undefined : host),
            ca: this.material.ca,
            cert: this.material.cert,
            key: this.material.key,
            minVersion: 'TLSv1.2',
          });
    socket.setNoDelay(true);
    socket.setKeepAlive(true, 30_000);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`no connection to ${host}:${port} within ${this.connectTimeoutMs} ms`));
      }, this.connectTimeoutMs);
      socket.once(this.target.tls === false ? 'connect' : 'secureConnect', () => {
        clearTimeout(timer);
        resolve();
      });
      socket.once('error', (error: Error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
    socket.on('error', (error: Error) => {
      this.failure = error;
    });
    socket.on('close', () => {
      this.failure ??= new Error(`${host}:${port} closed the connection`);
    });
    // A receiver sends nothing on a syslog connection; reading keeps close and reset visible.
    socket.on('data', () => undefined);
    this.socket = socket;
    return socket;
  }
}
