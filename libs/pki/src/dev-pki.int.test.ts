import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate } from 'node:crypto';
import { ensureDevPki, generateEd25519KeyPair, issueDeviceCertificate } from './index';
import { connectDevice, startIdentityServer } from './test-support/tls-loopback';

const DAY_MS = 86_400_000;

describe('ensureDevPki', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'wasmbed-devpki-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('creates the dev CA, gateway certificate and device bundle once, then reuses them', async () => {
    const dir = join(root, 'once');
    const first = await ensureDevPki(dir, { gatewayHosts: ['localhost', '127.0.0.1'] });
    expect(first.created).toEqual({ ca: true, server: true, deviceTrust: true });
    expect(first.deviceTrust.includes(first.ca)).toBe(true);
    expect(await readFile(first.files.serverCert, 'utf8')).toBe(first.server.certPem);

    const second = await ensureDevPki(dir, { gatewayHosts: ['127.0.0.1', 'localhost'] });
    expect(second.created).toEqual({ ca: false, server: false, deviceTrust: false });
    expect(second.ca.serialNumber).toBe(first.ca.serialNumber);
    expect(second.server.certPem).toBe(first.server.certPem);
  });

  it('reissues the gateway certificate, from the same CA, when a host is added', async () => {
    const dir = join(root, 'hosts');
    const first = await ensureDevPki(dir, { gatewayHosts: ['localhost'] });
    const second = await ensureDevPki(dir, { gatewayHosts: ['localhost', 'gateway.dev.local', '10.0.0.5'] });
    expect(second.created).toEqual({ ca: false, server: true, deviceTrust: false });
    const cert = new X509Certificate(second.server.certPem);
    expect(cert.checkHost('gateway.dev.local')).toBe('gateway.dev.local');
    expect(cert.checkIP('10.0.0.5')).toBe('10.0.0.5');
    expect(cert.verify(new X509Certificate(first.ca.certPem).publicKey)).toBe(true);
  });

  it('rotates a CA near its end and keeps the old one trusted until it expires', async () => {
    const dir = join(root, 'rotate');
    const start = new Date();
    const first = await ensureDevPki(dir, { gatewayHosts: ['localhost'], caValidityDays: 60, now: start });
    const nearEnd = new Date(start.getTime() + 45 * DAY_MS);
    const second = await ensureDevPki(dir, { gatewayHosts: ['localhost'], caValidityDays: 60, now: nearEnd });
    expect(second.created).toEqual({ ca: true, server: true, deviceTrust: true });
    expect(second.ca.serialNumber).not.toBe(first.ca.serialNumber);
    expect(second.deviceTrust.certificates.map((c) => c.serialNumber)).toEqual([first.ca.serialNumber, second.ca.serialNumber]);
    expect(new X509Certificate(second.server.certPem).verify(new X509Certificate(second.ca.certPem).publicKey)).toBe(true);

    const afterOldExpiry = new Date(first.ca.notAfter.getTime() + DAY_MS);
    const third = await ensureDevPki(dir, { gatewayHosts: ['localhost'], caValidityDays: 60, now: afterOldExpiry });
    expect(third.created.ca).toBe(false);
    expect(third.deviceTrust.certificates.map((c) => c.serialNumber)).toEqual([second.ca.serialNumber]);
  });

  it('produces material a gateway and a device can complete mutual TLS with', async () => {
    const pki = await ensureDevPki(join(root, 'tls'), { gatewayHosts: ['localhost', '127.0.0.1'] });
    const server = await startIdentityServer({ certPem: pki.server.certPem, keyPem: pki.server.keyPem, deviceTrust: pki.deviceTrust });
    try {
      const device = generateEd25519KeyPair();
      const cert = await issueDeviceCertificate(pki.ca, { deviceId: 'sim-1', publicKey: device.publicKey, validityDays: 1 });
      await connectDevice({ port: server.port, caPem: await readFile(pki.files.caCert, 'utf8'), certPem: cert.certPem, keyPem: device.privateKeyPem });
      expect(server.observed[0]).toMatchObject({ authorized: true, protocol: 'TLSv1.3' });
      expect(server.observed[0].identity).toMatchObject({ publicKeyHex: device.publicKeyHex, issuedByTrustedCa: true });
    } finally {
      await server.close();
    }
  });
});
