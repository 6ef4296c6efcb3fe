import { webcrypto } from 'node:crypto';
import { x509 } from './crypto-provider';
import {
  CertificateAuthority,
  createCertificateAuthority,
  createSelfSignedDeviceCertificate,
  generateEd25519KeyPair,
  InvalidCertificateError,
  issueDeviceCertificate,
  peerIdentityFromCertificate,
  TrustBundle,
  UnsupportedKeyAlgorithmError,
} from './index';

const NOW = new Date('2030-03-01T12:00:00.000Z');
const DAY_MS = 86_400_000;

/** Flips one bit of the signature (the last byte of the DER). */
function tampered(der: Buffer): Buffer {
  const copy = Buffer.from(der);
  copy[copy.length - 1] ^= 0x01;
  return copy;
}

describe('peerIdentityFromCertificate', () => {
  let ca: CertificateAuthority;
  let trust: TrustBundle;
  beforeAll(async () => {
    ca = await createCertificateAuthority({ commonName: 'Platform CA', validityDays: 365, now: NOW });
    trust = TrustBundle.of(ca);
  });

  it('returns the key of a CA-issued device certificate and that the trusted CA issued it', async () => {
    const keys = generateEd25519KeyPair();
    const cert = await issueDeviceCertificate(ca, { deviceId: 'dev-1', publicKey: keys.publicKey, validityDays: 30, now: NOW });
    const identity = peerIdentityFromCertificate(cert.certDer, trust, NOW);
    expect(identity).toEqual({
      publicKey: keys.publicKey,
      publicKeyHex: keys.publicKeyHex,
      commonName: 'dev-1',
      selfSigned: false,
      issuedByTrustedCa: true,
      issuerCommonName: 'Platform CA',
      serialNumber: cert.serialNumber,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
      expired: false,
      notYetValid: false,
    });
  });

  it('without a trust bundle it still yields the key but vouches for nothing', async () => {
    const keys = generateEd25519KeyPair();
    const cert = await issueDeviceCertificate(ca, { deviceId: 'dev-1', publicKey: keys.publicKey, validityDays: 30, now: NOW });
    expect(peerIdentityFromCertificate(cert.certDer, undefined, NOW)).toMatchObject({
      publicKeyHex: keys.publicKeyHex,
      selfSigned: false,
      issuedByTrustedCa: false,
      issuerCommonName: undefined,
    });
  });

  it('marks a self-signed certificate as such and never as CA-issued', async () => {
    const keys = generateEd25519KeyPair();
    const cert = await createSelfSignedDeviceCertificate({ deviceId: 'mcu', privateKeyPem: keys.privateKeyPem, validityDays: 30, now: NOW });
    expect(peerIdentityFromCertificate(cert.certDer, trust, NOW)).toMatchObject({
      publicKeyHex: keys.publicKeyHex,
      commonName: 'mcu',
      selfSigned: true,
      issuedByTrustedCa: false,
    });
  });

  it('reports a certificate of a foreign CA as not issued by a trusted CA', async () => {
    const foreign = await createCertificateAuthority({ commonName: 'Platform CA', validityDays: 365, now: NOW });
    const cert = await issueDeviceCertificate(foreign, { deviceId: 'x', publicKey: generateEd25519KeyPair().publicKey, validityDays: 1, now: NOW });
    expect(peerIdentityFromCertificate(cert.certDer, trust, NOW)).toMatchObject({ selfSigned: false, issuedByTrustedCa: false });
  });

  it('reports expiry and not-yet-valid against the given clock', async () => {
    const cert = await issueDeviceCertificate(ca, { deviceId: 'x', publicKey: generateEd25519KeyPair().publicKey, validityDays: 1, now: NOW });
    expect(peerIdentityFromCertificate(cert.certDer, trust, new Date(NOW.getTime() + 2 * DAY_MS))).toMatchObject({
      expired: true,
      notYetValid: false,
    });
    expect(peerIdentityFromCertificate(cert.certDer, trust, new Date(NOW.getTime() - DAY_MS))).toMatchObject({
      expired: false,
      notYetValid: true,
    });
  });

  it('refuses a certificate whose key is not Ed25519', async () => {
    const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
    const keys = await webcrypto.subtle.generateKey(alg, false, ['sign', 'verify']);
    const ecdsa = await x509.X509CertificateGenerator.createSelfSigned({ name: 'CN=p256-device', keys, signingAlgorithm: alg });
    expect(() => peerIdentityFromCertificate(new Uint8Array(ecdsa.rawData), trust, NOW)).toThrow(
      expect.objectContaining({ constructor: UnsupportedKeyAlgorithmError, algorithm: 'ec', code: 'invalid_argument' }),
    );
  });

  it('refuses malformed certificates with a typed error', async () => {
    const cert = await issueDeviceCertificate(ca, { deviceId: 'x', publicKey: generateEd25519KeyPair().publicKey, validityDays: 1, now: NOW });
    expect(() => peerIdentityFromCertificate(Buffer.from('not a certificate'))).toThrow(InvalidCertificateError);
    expect(() => peerIdentityFromCertificate(cert.certDer.subarray(0, cert.certDer.length - 20))).toThrow(InvalidCertificateError);
    expect(() => peerIdentityFromCertificate(new Uint8Array(0))).toThrow(InvalidCertificateError);
  });

  it('refuses a self-signed certificate whose self-signature does not verify', async () => {
    const cert = await createSelfSignedDeviceCertificate({ deviceId: 'mcu', seed: new Uint8Array(32).fill(1), validityDays: 1, now: NOW });
    expect(() => peerIdentityFromCertificate(tampered(cert.certDer), trust, NOW)).toThrow(InvalidCertificateError);
  });

  it('does not count a tampered CA-issued certificate as issued by the CA', async () => {
    const cert = await issueDeviceCertificate(ca, { deviceId: 'x', publicKey: generateEd25519KeyPair().publicKey, validityDays: 1, now: NOW });
    expect(peerIdentityFromCertificate(tampered(cert.certDer), trust, NOW).issuedByTrustedCa).toBe(false);
  });
});
