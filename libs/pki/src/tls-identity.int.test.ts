import {
  CertificateAuthority,
  createCertificateAuthority,
  createSelfSignedDeviceCertificate,
  Ed25519KeyPair,
  generateEd25519KeyPair,
  issueDeviceCertificate,
  issueServerCertificate,
  rotateCertificateAuthority,
  ServerCertificate,
  TrustBundle,
} from './index';
import { connectDevice, IdentityServer, startIdentityServer } from './test-support/tls-loopback';

const DAY_MS = 86_400_000;

describe('device identity over real TLS 1.3 sockets', () => {
  let platformCa: CertificateAuthority;
  let gatewayCert: ServerCertificate;
  let gateway: IdentityServer;

  beforeAll(async () => {
    // Created in the past so that certificates issued "days ago" can exist.
    platformCa = await createCertificateAuthority({ commonName: 'Wasmbed Test CA', validityDays: 40, now: new Date(Date.now() - 10 * DAY_MS) });
    gatewayCert = await issueServerCertificate(platformCa, {
      commonName: 'gateway',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
      validityDays: 7,
    });
    gateway = await startIdentityServer({
      certPem: gatewayCert.certPem,
      keyPem: gatewayCert.keyPem!,
      deviceTrust: TrustBundle.of(platformCa),
    });
  });

  afterAll(() => gateway.close());

  async function deviceWithCaCert(ca: CertificateAuthority, deviceId: string, now?: Date) {
    const keys = generateEd25519KeyPair();
    const cert = await issueDeviceCertificate(ca, { deviceId, publicKey: keys.publicKey, validityDays: 1, now });
    return { keys, certPem: cert.certPem };
  }

  async function connectAs(server: IdentityServer, device?: { keys: Ed25519KeyPair; certPem: string }, host?: string) {
    await connectDevice({
      port: server.port,
      caPem: platformCa.certPem,
      certPem: device?.certPem,
      keyPem: device?.keys.privateKeyPem,
      host,
    });
    return server.observed[server.observed.length - 1];
  }

  it('completes mutual TLS 1.3 with CA-issued server and device certificates and yields the device key', async () => {
    const device = await deviceWithCaCert(platformCa, 'sensor-1');
    const seen = await connectAs(gateway, device);
    expect(seen.protocol).toBe('TLSv1.3');
    expect(seen.authorized).toBe(true);
    expect(seen.identity).toMatchObject({
      publicKeyHex: device.keys.publicKeyHex,
      commonName: 'sensor-1',
      selfSigned: false,
      issuedByTrustedCa: true,
      issuerCommonName: 'Wasmbed Test CA',
      expired: false,
    });
    expect(Buffer.from(seen.identity!.publicKey).equals(device.keys.publicKey)).toBe(true);
  });

  it('verifies the gateway by its IP address SAN as well as its DNS name', async () => {
    const seen = await connectAs(gateway, await deviceWithCaCert(platformCa, 'sensor-ip'), '127.0.0.1');
    expect(seen.identity?.issuedByTrustedCa).toBe(true);
  });

  it('accepts a self-signed device certificate and reports its key as self-signed', async () => {
    const keys = generateEd25519KeyPair();
    const cert = await createSelfSignedDeviceCertificate({ deviceId: 'fresh-mcu', privateKeyPem: keys.privateKeyPem, validityDays: 365 });
    const seen = await connectAs(gateway, { keys, certPem: cert.certPem });
    expect(seen.protocol).toBe('TLSv1.3');
    expect(seen.authorized).toBe(false);
    expect(seen.identity).toMatchObject({
      publicKeyHex: keys.publicKeyHex,
      commonName: 'fresh-mcu',
      selfSigned: true,
      issuedByTrustedCa: false,
    });
  });

  it('refuses a client limited to TLS 1.2', async () => {
    const before = gateway.observed.length;
    await expect(
      connectDevice({ port: gateway.port, caPem: platformCa.certPem, maxVersion: 'TLSv1.2' }),
    ).rejects.toMatchObject({ code: expect.stringMatching(/PROTOCOL_VERSION|UNSUPPORTED_PROTOCOL/) });
    expect(gateway.observed.length).toBe(before);
    expect(gateway.handshakeErrors.length).toBeGreaterThan(0);
  });

  it('gives no identity to a client without a certificate', async () => {
    const seen = await connectAs(gateway);
    expect(seen.protocol).toBe('TLSv1.3');
    expect(seen.identity).toBeUndefined();
  });

  it('reports a certificate from a foreign CA as not issued by a trusted CA', async () => {
    const foreignCa = await createCertificateAuthority({ commonName: 'Someone Else CA', validityDays: 30 });
    const device = await deviceWithCaCert(foreignCa, 'intruder');
    const seen = await connectAs(gateway, device);
    expect(seen.authorized).toBe(false);
    expect(seen.identity).toMatchObject({ publicKeyHex: device.keys.publicKeyHex, selfSigned: false, issuedByTrustedCa: false });
  });

  it('detects an expired device certificate while the handshake still yields the key', async () => {
    const device = await deviceWithCaCert(platformCa, 'old-sensor', new Date(Date.now() - 3 * DAY_MS));
    const seen = await connectAs(gateway, device);
    expect(seen.authorizationError).toBe('CERT_HAS_EXPIRED');
    expect(seen.identity).toMatchObject({ publicKeyHex: device.keys.publicKeyHex, expired: true, issuedByTrustedCa: true });
  });

  describe('CA rotation', () => {
    it('trusts devices of the old and the new CA while both are in the bundle, and only the new after retirement', async () => {
      // Same common name on purpose: OpenSSL and issuerOf must tell the CAs apart by key identifier.
      const rotation = await rotateCertificateAuthority(platformCa);
      expect(rotation.next.commonName).toBe(platformCa.commonName);
      const oldDevice = await deviceWithCaCert(rotation.previous, 'before-rollover');
      const newDevice = await deviceWithCaCert(rotation.next, 'after-rollover');

      const during = await startIdentityServer({ certPem: gatewayCert.certPem, keyPem: gatewayCert.keyPem!, deviceTrust: rotation.bundle });
      try {
        for (const device of [oldDevice, newDevice]) {
          const seen = await connectAs(during, device);
          expect(seen.authorized).toBe(true);
          expect(seen.identity).toMatchObject({ publicKeyHex: device.keys.publicKeyHex, issuedByTrustedCa: true });
        }
      } finally {
        await during.close();
      }

      const retired = rotation.bundle.without(rotation.previous);
      const after = await startIdentityServer({ certPem: gatewayCert.certPem, keyPem: gatewayCert.keyPem!, deviceTrust: retired });
      try {
        const seenOld = await connectAs(after, oldDevice);
        expect(seenOld.authorized).toBe(false);
        expect(seenOld.identity?.issuedByTrustedCa).toBe(false);
        const seenNew = await connectAs(after, newDevice);
        expect(seenNew.authorized).toBe(true);
        expect(seenNew.identity?.issuedByTrustedCa).toBe(true);
      } finally {
        await after.close();
      }
    });

    it('lets devices verify a gateway certificate from the new CA once they hold the bundle', async () => {
      const rotation = await rotateCertificateAuthority(platformCa, { commonName: 'Wasmbed Test CA 2' });
      const newGatewayCert = await issueServerCertificate(rotation.next, { commonName: 'gateway', dnsNames: ['localhost'], validityDays: 7 });
      const server = await startIdentityServer({ certPem: newGatewayCert.certPem, keyPem: newGatewayCert.keyPem!, deviceTrust: rotation.bundle });
      try {
        // OpenSSL may send the new CA along with the leaf; either way the old trust alone cannot anchor it.
        await expect(connectDevice({ port: server.port, caPem: platformCa.certPem })).rejects.toMatchObject({
          code: expect.stringMatching(/^(UNABLE_TO_GET_ISSUER_CERT_LOCALLY|SELF_SIGNED_CERT_IN_CHAIN)$/),
        });
        await connectDevice({ port: server.port, caPem: rotation.bundle.pem });
        expect(server.observed.at(-1)?.protocol).toBe('TLSv1.3');
      } finally {
        await server.close();
      }
    });
  });
});
