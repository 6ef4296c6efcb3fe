// Test-only: a TLS 1.3 server on loopback that behaves like the gateway's handshake
// (client certificate requested, never rejected by TLS itself) and records what it
// learnt about each peer, plus a device-side client. Excluded from the build.
import { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { PeerIdentity, peerIdentityFromSocket, TrustBundle } from '../index';

export interface ObservedConnection {
  readonly identity: PeerIdentity | undefined;
  /** OpenSSL's own chain verification against the server's `ca`. */
  readonly authorized: boolean;
  readonly authorizationError: string | undefined;
  readonly protocol: string | null;
}

export interface IdentityServer {
  readonly port: number;
  readonly observed: ObservedConnection[];
  readonly handshakeErrors: Error[];
  close(): Promise<void>;
}

export async function startIdentityServer(options: {
  certPem: string;
  keyPem: string;
  deviceTrust?: TrustBundle;
  now?: Date;
}): Promise<IdentityServer> {
  const observed: ObservedConnection[] = [];
  const handshakeErrors: Error[] = [];
  const caList = options.deviceTrust?.certificates.map((c) => c.certPem);
  const server = tls.createServer(
    {
      cert: options.certPem,
      key: options.keyPem,
      ca: caList && caList.length > 0 ? caList : undefined,
      requestCert: true,
      rejectUnauthorized: false,
      minVersion: 'TLSv1.3',
    },
    (socket) => {
      observed.push({
        identity: peerIdentityFromSocket(socket, options.deviceTrust, options.now),
        authorized: socket.authorized,
        authorizationError: socket.authorizationError === undefined ? undefined : String(socket.authorizationError),
        protocol: socket.getProtocol(),
      });
      socket.end('ok\n');
    },
  );
  server.on('tlsClientError', (err) => handshakeErrors.push(err));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    observed,
    handshakeErrors,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

/** Connects as a device, verifying the gateway against `caPem`; resolves once the server has recorded the connection. */
export function connectDevice(options: {
  port: number;
  caPem: string;
  certPem?: string;
  keyPem?: string;
  host?: string;
  maxVersion?: tls.SecureVersion;
}): Promise<void> {
  return new Promise((resolve, reject) => {
    const host = options.host ?? 'localhost';
    const socket = tls.connect({
      host: host === 'localhost' ? '127.0.0.1' : host,
      port: options.port,
      servername: host === 'localhost' ? 'localhost' : undefined,
      ca: options.caPem,
      cert: options.certPem,
      key: options.keyPem,
      maxVersion: options.maxVersion,
    });
    socket.on('error', reject);
    socket.on('data', () => undefined);
    socket.on('end', () => {
      socket.destroy();
      resolve();
    });
  });
}
