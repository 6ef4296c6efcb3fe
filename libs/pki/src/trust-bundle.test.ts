import { webcrypto } from 'node:crypto';
import { x509 } from './crypto-provider';
import {
  CertificateAuthority,
  createCertificateAuthority,
  generateEd25519KeyPair,
  InvalidCertificateError,
  issueDeviceCertificate,
  TrustBundle,
} from './index';

const NOW = new Date('2030-03-01T12:00:00.000Z');
const DAY_MS = 86_400_000;

async function deviceCert(ca: CertificateAuthority, now = NOW) {
  return issueDeviceCertificate(ca, { deviceId: 'dev', publicKey: generateEd25519KeyPair().publicKey, validityDays: 1, now });
}

describe('TrustBundle', () => {
  let a: CertificateAuthority;
  let b: CertificateAuthority;
  beforeAll(async () => {
    a = await createCertificateAuthority({ commonName: 'CA A', validityDays: 30, now: NOW });
    b = await createCertificateAuthority({ commonName: 'CA B', validityDays: 60, now: NOW });
  });

  it('round-trips through PEM concatenation, in order and without duplicates', () => {
    const bundle = TrustBundle.of(a, b.certPem, a.certDer);
    expect(bundle.size).toBe(2);
    const reread = TrustBundle.fromPem(bundle.pem);
    expect(reread.certificates.map((c) => c.commonName)).toEqual(['CA A', 'CA B']);
    expect(reread.certificates.map((c) => c.serialNumber)).toEqual([a.serialNumber, b.serialNumber]);
    expect(reread.certificates[1].notAfter).toEqual(b.notAfter);
    expect(reread.certificates[0].certDer.equals(a.certDer)).toBe(true);
  });

  it('adds and removes CAs immutably', () => {
    const one = TrustBundle.of(a);
    const two = one.with(b);
    expect(one.size).toBe(1);
    expect(two.includes(b)).toBe(true);
    expect(two.without(a).certificates.map((c) => c.commonName)).toEqual(['CA B']);
    expect(two.without(a).includes(a)).toBe(false);
    expect(TrustBundle.empty().size).toBe(0);
  });

  it('drops expired CAs', () => {
    const bundle = TrustBundle.of(a, b);
    const between = new Date(a.notAfter.getTime() + DAY_MS);
    expect(bundle.withoutExpired(between).certificates.map((c) => c.commonName)).toEqual(['CA B']);
    expect(bundle.withoutExpired(NOW).size).toBe(2);
  });

  it('holds CA certificates only', async () => {
    const leaf = await deviceCert(a);
    expect(() => TrustBundle.of(leaf)).toThrow(InvalidCertificateError);
  });

  it('refuses PEM text without certificates or with other blocks', () => {
    expect(() => TrustBundle.fromPem('')).toThrow(InvalidCertificateError);
    expect(() => TrustBundle.fromPem(a.certPem + a.keyPem)).toThrow(InvalidCertificateError);
    expect(() => TrustBundle.fromPem('-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n')).toThrow(InvalidCertificateError);
  });

  it('names the CA that issued a certificate', async () => {
    const bundle = TrustBundle.of(a, b);
    expect(bundle.issuerOf((await deviceCert(b)).certDer, NOW)?.commonName).toBe('CA B');
    expect(bundle.issuerOf((await deviceCert(a)).certPem, NOW)?.serialNumber).toBe(a.serialNumber);
  });

  it('finds no issuer for a certificate from another CA', async () => {
    const foreign = await createCertificateAuthority({ commonName: 'CA A', validityDays: 30, now: NOW });
    expect(TrustBundle.of(a).issuerOf((await deviceCert(foreign)).certDer, NOW)).toBeUndefined();
  });

  it('finds no issuer once the issuing CA has expired', async () => {
    const cert = await deviceCert(a);
    expect(TrustBundle.of(a).issuerOf(cert.certDer, new Date(a.notAfter.getTime() + 1000))).toBeUndefined();
  });

  it('checks the signature, not only names and key identifiers', async () => {
    // A forger copies CA A's name and key identifier but signs with its own key.
    const forgerKeys = (await webcrypto.subtle.generateKey({ name: 'Ed25519' }, false, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
    const genuine = new x509.X509Certificate((await deviceCert(a)).certDer);
    const forged = await x509.X509CertificateGenerator.create({
      subject: genuine.subjectName,
      issuer: genuine.issuerName,
      notBefore: genuine.notBefore,
      notAfter: genuine.notAfter,
      publicKey: genuine.publicKey,
      signingKey: forgerKeys.privateKey,
      signingAlgorithm: { name: 'Ed25519' },
      extensions: genuine.extensions,
    });
    expect(TrustBundle.of(a).issuerOf(new Uint8Array(forged.rawData), NOW)).toBeUndefined();
    expect(TrustBundle.of(a).issuerOf(new Uint8Array(genuine.rawData), NOW)).toBeDefined();
  });
});
