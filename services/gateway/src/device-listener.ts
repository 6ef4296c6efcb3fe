import { createServer, type Server, type TLSSocket } from 'node:tls';
import { peerIdentityFromSocket, type PeerIdentity, type TrustBundle } from '@wasmbed/pki';
import { listenOn } from '@wasmbed/service-kit';
import type { Logger } from './logger';
import type { GatewayMetrics } from './metrics';
import type { TlsCredentials } from './tls-credentials';

export interface DeviceListenerOptions {
  readonly credentials: TlsCredentials;
  readonly handshakeTimeoutMs: number;
  readonly metrics: GatewayMetrics;
  readonly logger: Logger;
  /** A device completed the handshake and showed an Ed25519 key. */
  readonly onDevice: (socket: TLSSocket, identity: PeerIdentity) => void;
}

export interface DeviceListener {
  listen(host: string, port: number): Promise<number>;
  readonly listening: boolean;
  /** Stops accepting; open sessions are the caller's to close. */
  close(): Promise<void>;
}

/**
 * The device-facing TLS 1.3 listener. Client certificates are requested but not
 * verified by TLS (self-signed device certificates must get through): the
 * handshake proves the device holds the key, the key is its identity, and the
 * event log decides what that identity may do. No certificate, or one that is
 * not Ed25519, ends the connection at once.
 */
export function createDeviceListener(options: DeviceListenerOptions): DeviceListener {
  const { credentials, metrics, logger } = options;
  const trust: TrustBundle | undefined = credentials.clientTrust;
  const server: Server = createServer({
    key: credentials.keyPem,
    cert: credentials.certPem,
    minVersion: 'TLSv1.3',
    requestCert: true,
    rejectUnauthorized: false,
    handshakeTimeout: options.handshakeTimeoutMs,
    // A device that half-closes mid-frame still gets told why (Error frame) before we close.
    allowHalfOpen: true,
  });

  server.on('tlsClientError', (err, socket) => {
    metrics.handshakes.inc({ outcome: 'tls_failed' });
    logger.debug('TLS handshake failed', { remote: socket.remoteAddress, error: err.message });
    socket.destroy();
  });

  server.on('secureConnection', (socket: TLSSocket) => {
    socket.on('error', () => undefined);
    let identity: PeerIdentity | undefined;
    try {
      identity = peerIdentityFromSocket(socket, trust);
    } catch (err) {
      metrics.handshakes.inc({ outcome: 'bad_certificate' });
      logger.info('device certificate refused', { remote: socket.remoteAddress, error: (err as Error).message });
      socket.destroy();
      return;
    }
    if (identity === undefined) {
      metrics.handshakes.inc({ outcome: 'no_certificate' });
      logger.info('connection without a client certificate refused', { remote: socket.remoteAddress });
      socket.destroy();
      return;
    }
    options.onDevice(socket, identity);
  });

  let listening = false;
  return {
    get listening() {
      return listening;
    },
    listen: async (host, port) => {
      const bound = await listenOn(server, host, port);
      listening = true;
      return bound;
    },
    close: () =>
      new Promise<void>((resolve) => {
        listening = false;
        server.close(() => resolve());
      }),
  };
}
