import { connect as tlsConnect } from 'node:tls';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { WasmbedError } from '@wasmbed/errors';
import {
  createCertificateAuthority,
  generateEd25519KeyPair,
  issueDeviceCertificate,
  issueServerCertificate,
  type CertificateAuthority,
} from '@wasmbed/pki';
import { DeviceServiceClient, DeviceServiceService } from '@wasmbed/proto';
import { z } from 'zod';
import { createClient, createGrpcServer, hashToken, serverTlsCredentials, staticTokenAuthenticator, unaryHandler, type GrpcServer, type TlsOptions } from './index';

// A real grpc-js server over TLS (and mutual TLS), dialled by name on loopback.

class Missing extends WasmbedError {
  readonly code = 'not_found' as const;
}

const TOKEN = 'tls-viewer-token';
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

async function startServer(pair: { certChain: Buffer; privateKey: Buffer }, clientCa?: Buffer): Promise<{ server: GrpcServer; port: number }> {
  const server = createGrpcServer({
    services: [
      {
        definition: DeviceServiceService,
        // Reaching the handler means TLS, the token and the role all passed.
        implementation: { getDevice: unaryHandler({ role: 'viewer', schema: z.object({ name: z.string() }), handle: async ({ name }) => Promise.reject(new Missing(`no ${name}`)) }) },
      },
    ],
    auth: staticTokenAuthenticator([{ tokenSha256Hex: hashToken(TOKEN), subject: 'tls-test', role: 'viewer' }]),
    logger: silent,
    credentials: serverTlsCredentials({ ...pair, clientCa }),
  });
  return { server, port: await server.listen('127.0.0.1', 0) };
}

function getDevice(port: number, options: { token?: string; tls?: TlsOptions }): Promise<ServiceError> {
  const client = createClient(DeviceServiceClient, `localhost:${port}`, options);
  return new Promise((resolve) =>
    client.getDevice({ name: 'd1' }, new Metadata(), { deadline: Date.now() + 5_000 }, (err) => {
      client.close();
      resolve(err!);
    }),
  );
}

describe('grpc-kit over TLS', () => {
  let ca: CertificateAuthority;
  let serverPair: { certChain: Buffer; privateKey: Buffer };
  let caPem: Buffer;

  beforeAll(async () => {
    ca = await createCertificateAuthority({ commonName: 'grpc-kit TLS test CA', validityDays: 1 });
    const cert = await issueServerCertificate(ca, { commonName: 'localhost', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], validityDays: 1 });
    serverPair = { certChain: Buffer.from(cert.certPem), privateKey: Buffer.from(cert.keyPem!) };
    caPem = Buffer.from(ca.certPem);
  });

  describe('server TLS', () => {
    let running: { server: GrpcServer; port: number };
    beforeAll(async () => {
      running = await startServer(serverPair);
    });
    afterAll(() => running.server.shutdown(1_000));

    it('carries the token to the handler when the client trusts the CA', async () => {
      expect(await getDevice(running.port, { token: TOKEN, tls: { rootCerts: caPem } })).toMatchObject({ code: status.NOT_FOUND, details: 'no d1' });
      expect(await getDevice(running.port, { tls: { rootCerts: caPem } })).toMatchObject({ code: status.UNAUTHENTICATED });
    });

    it('fails the handshake for a client that does not trust the CA, or speaks plaintext', async () => {
      const untrusted = await getDevice(running.port, { token: TOKEN, tls: {} });
      expect(untrusted.code).toBe(status.UNAVAILABLE);
      expect(untrusted.details).toMatch(/unable to verify the first certificate/);
      expect((await getDevice(running.port, { token: TOKEN })).code).toBe(status.UNAVAILABLE);
    });

    it('negotiates TLS 1.3 with a client that offers it', async () => {
      const protocol = await new Promise<string | null>((resolve, reject) => {
        const socket = tlsConnect({ host: '127.0.0.1', port: running.port, servername: 'localhost', ca: caPem, ALPNProtocols: ['h2'] }, () => {
          resolve(socket.getProtocol());
          socket.destroy();
        });
        socket.once('error', reject);
      });
      expect(protocol).toBe('TLSv1.3');
    });
  });

  describe('mutual TLS', () => {
    let running: { server: GrpcServer; port: number };
    let clientPair: { certChain: Buffer; privateKey: Buffer };
    beforeAll(async () => {
      running = await startServer(serverPair, caPem);
      const key = generateEd25519KeyPair();
      const cert = await issueDeviceCertificate(ca, { deviceId: 'operator-laptop', publicKey: key.publicKey, validityDays: 1 });
      clientPair = { certChain: Buffer.from(cert.certPem), privateKey: Buffer.from(key.privateKeyPem) };
    });
    afterAll(() => running.server.shutdown(1_000));

    it('admits a client certificate from the client CA, and still wants the token', async () => {
      expect(await getDevice(running.port, { token: TOKEN, tls: { rootCerts: caPem, ...clientPair } })).toMatchObject({ code: status.NOT_FOUND });
      expect(await getDevice(running.port, { tls: { rootCerts: caPem, ...clientPair } })).toMatchObject({ code: status.UNAUTHENTICATED });
    });

    it('refuses a client without a certificate', async () => {
      expect((await getDevice(running.port, { token: TOKEN, tls: { rootCerts: caPem } })).code).toBe(status.UNAVAILABLE);
    });
  });
});
