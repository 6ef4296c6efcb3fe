import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { createServer as createTlsServer, type Server as TlsServer, type TLSSocket } from 'node:tls';
import { issueServerCertificate, type CertificateAuthority } from '@wasmbed/pki';

/**
 * A TLS 1.3 server with a certificate for localhost from `ca`, requesting (not
 * verifying) client certificates: a scripted gateway, for what the real one
 * never sends (it refuses bad signatures and tampered modules before a device
 * sees them) and for a gateway from another CA.
 */
export async function startTlsServer(ca: CertificateAuthority, onSocket: (socket: TLSSocket) => void): Promise<{ server: TlsServer; port: number; clientErrors: string[] }> {
  const cert = await issueServerCertificate(ca, { commonName: 'scripted', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], validityDays: 1 });
  const clientErrors: string[] = [];
  const server = createTlsServer({ key: cert.keyPem, cert: cert.certPem, minVersion: 'TLSv1.3', requestCert: true, rejectUnauthorized: false }, onSocket);
  server.on('tlsClientError', (err) => clientErrors.push(err.message));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port, clientErrors };
}
