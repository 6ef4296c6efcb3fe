import { X509Certificate } from 'node:crypto';
import { ed25519KeyPairFromSeed, peerIdentityFromCertificate } from '@wasmbed/pki';
import { CertificateStampError } from './errors';
import { CertificateStamper, deviceName, deviceSeed } from './device-certificates';

describe('device certificates', () => {
  const runSeed = new Uint8Array(16).fill(7);
  let stamper: CertificateStamper;
  beforeAll(async () => {
    stamper = await CertificateStamper.create(deviceName('abc123', 0).length);
  });

  it('derives distinct, stable seeds and fixed-length valid names', () => {
    expect(Buffer.from(deviceSeed(runSeed, 1))).toEqual(Buffer.from(deviceSeed(runSeed, 1)));
    expect(Buffer.from(deviceSeed(runSeed, 1))).not.toEqual(Buffer.from(deviceSeed(runSeed, 2)));
    expect(deviceName('abc123', 42)).toBe('babc123-0000042');
    expect(deviceName('abc123', 9_999_999)).toHaveLength(deviceName('abc123', 0).length);
    expect(deviceName('abc123', 5)).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
  });

  it('stamps a correctly self-signed certificate of the device key and name', () => {
    const seed = deviceSeed(runSeed, 3);
    const creds = stamper.stamp(seed, deviceName('abc123', 3));
    const cert = new X509Certificate(creds.certPem);
    expect(cert.subject).toBe('CN=babc123-0000003');
    expect(cert.issuer).toBe('CN=babc123-0000003');
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(creds.publicKeyHex).toBe(ed25519KeyPairFromSeed(seed).publicKeyHex);

    // What the gateway reads from the handshake.
    const identity = peerIdentityFromCertificate(new Uint8Array(creds.certDer));
    expect(identity).toMatchObject({ publicKeyHex: creds.publicKeyHex, commonName: 'babc123-0000003', selfSigned: true, expired: false });
  });

  it('gives each device its own key and a signature only its key verifies', () => {
    const a = stamper.stamp(deviceSeed(runSeed, 10), deviceName('abc123', 10));
    const b = stamper.stamp(deviceSeed(runSeed, 11), deviceName('abc123', 11));
    expect(a.publicKeyHex).not.toBe(b.publicKeyHex);
    expect(new X509Certificate(a.certPem).verify(new X509Certificate(b.certPem).publicKey)).toBe(false);
  });

  it('refuses a name whose length does not fit the template', () => {
    expect(() => stamper.stamp(deviceSeed(runSeed, 1), 'short')).toThrow(CertificateStampError);
    expect(() => stamper.stamp(deviceSeed(runSeed, 1), `${deviceName('abc123', 1)}x`)).toThrow(/must be 15 ASCII characters/);
  });
});
