import { isIP } from 'node:net';
import { connect, type SecureContext, type TLSSocket } from 'node:tls';
import { GatewayConnectError, SimDeviceConfigError } from '../errors';

export interface TlsTarget {
  readonly host: string;
  readonly port: number;
  /** Holds the device certificate and key and the gateway CA (tls.createSecureContext). */
  readonly secureContext: SecureContext;
  readonly timeoutMs: number;
}

/**
 * Opens a mutually authenticated TLS 1.3 connection. The gateway's certificate must
 * chain to the configured CA and name the host dialled (DNS or IP subjectAltName,
 * Node's checkServerIdentity); anything older than TLS 1.3 is refused.
 */
export function connectTls(target: TlsTarget): Promise<TLSSocket> {
  return new Promise((resolve, reject) => {
    const socket = connect({
      host: target.host,
      port: target.port,
      secureContext: target.secureContext,
      minVersion: 'TLSv1.3',
      // SNI carries host names only; an IP is checked against the certificate's IP SANs.
      servername: isIP(target.host) === 0 ? target.host : undefined,
      rejectUnauthorized: true,
    });
    const fail = (err: Error): void => {
      clearTimeout(timer);
      socket.destroy();
      reject(new GatewayConnectError(`${target.host}:${target.port}`, err));
    };
    const timer = setTimeout(() => fail(new Error(`no TLS handshake within ${target.timeoutMs} ms`)), target.timeoutMs);
    socket.once('error', fail);
    socket.once('secureConnect', () => {
      clearTimeout(timer);
      socket.off('error', fail);
      if (socket.getProtocol() !== 'TLSv1.3') {
        fail(new Error(`negotiated ${socket.getProtocol()}, not TLSv1.3`));
        return;
      }
      socket.setNoDelay(true);
      resolve(socket);
    });
  });
}

/** "host:port" (IPv6 in brackets) → parts. */
export function parseEndpoint(endpoint: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(endpoint.trim());
  const port = match ? Number(match[3]) : NaN;
  if (!match || port < 1 || port > 65_535) throw new SimDeviceConfigError(`gateway endpoint must be host:port, got ${JSON.stringify(endpoint)}`);
  return { host: match[1] ?? match[2], port };
}
