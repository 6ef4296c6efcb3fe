import { createHash, createPrivateKey, X509Certificate } from 'node:crypto';
import { inspect } from 'node:util';
import { ValidationError } from '@wasmbed/errors';
import { x509 } from './crypto-provider';
import {
  CertificateAuthority,
  CertificateAuthorityExpiredError,
  createCertificateAuthority,
  createSelfSignedDeviceCertificate,
  ed25519KeyPairFromSeed,
  generateEd25519KeyPair,
  issueDeviceCertificate,
  issueServerCertificate,
  subjectAltNamesFor,
} from './index';

const NOW = new Date('2030-03-01T12:00:00.000Z');
const DAY_MS = 86_400_000;
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

function issuedBy(der: Uint8Array, ca: CertificateAuthority): boolean {
  const leaf = new X509Certificate(der);
  const issuer = new X509Certificate(ca.certDer);
  return leaf.checkIssued(issuer) && leaf.verify(issuer.publicKey);
}

function endEntityExtensions(der: Uint8Array) {
  const cert = new x509.X509Certificate(der);
  return {
    constraints: cert.getExtension(x509.BasicConstraintsExtension),
    keyUsage: cert.getExtension(x509.KeyUsagesExtension),
    extendedKeyUsage: cert.getExtension(x509.ExtendedKeyUsageExtension)?.usages,
    authorityKeyId: cert.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId,
    subjectKeyId: cert.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
  };
}

describe('issuing certificates', () => {
  let ca: CertificateAuthority;
  beforeAll(async () => {
    ca = await createCertificateAuthority({ commonName: 'Wasmbed Root', validityDays: 365, now: NOW });
  });

  describe('issueServerCertificate', () => {
    it('issues a serverAuth certificate for DNS names and IPv4/IPv6 addresses with a fresh key', async () => {
      const cert = await issueServerCertificate(ca, {
        commonName: 'gateway-1',
        dnsNames: ['localhost', 'gw.wasmbed.local'],
        ipAddresses: ['127.0.0.1', '::1'],
        validityDays: 90,
        now: NOW,
      });
      const openssl = new X509Certificate(cert.certDer);
      expect(issuedBy(cert.certDer, ca)).toBe(true);
      expect(openssl.ca).toBe(false);
      expect(openssl.subject).toBe('CN=gateway-1');
      expect(openssl.checkHost('gw.wasmbed.local')).toBe('gw.wasmbed.local');
      expect(openssl.checkHost('other.local')).toBeUndefined();
      expect(openssl.checkIP('127.0.0.1')).toBe('127.0.0.1');
      expect(openssl.checkIP('::1')).toBe('::1');
      expect(openssl.checkPrivateKey(ed25519KeyPairFromSeed(new Uint8Array(32)).privateKey)).toBe(false);
      expect(cert.keyPem).toBeDefined();
      expect(openssl.checkPrivateKey(createPrivateKey(cert.keyPem!))).toBe(true);
      expect(cert.notAfter.getTime() - NOW.getTime()).toBe(90 * DAY_MS);

      const ext = endEntityExtensions(cert.certDer);
      expect(ext.constraints).toMatchObject({ ca: false, critical: true });
      expect(ext.keyUsage?.usages).toBe(x509.KeyUsageFlags.digitalSignature);
      expect(ext.extendedKeyUsage).toEqual([SERVER_AUTH]);
      expect(ext.authorityKeyId).toBe(sha1(ca.publicKey));
      expect(ext.subjectKeyId).toBe(sha1(cert.publicKey));
    });

    it('certifies a given public key and then returns no private key', async () => {
      const keys = generateEd25519KeyPair();
      const cert = await issueServerCertificate(ca, { commonName: 'gw', dnsNames: ['gw'], validityDays: 1, publicKey: keys.publicKey, now: NOW });
      expect(cert.publicKeyHex).toBe(keys.publicKeyHex);
      expect(cert.keyPem).toBeUndefined();
      expect(new X509Certificate(cert.certPem).checkPrivateKey(keys.privateKey)).toBe(true);
    });

    it('keeps a generated key out of console output', async () => {
      const cert = await issueServerCertificate(ca, { commonName: 'gw', dnsNames: ['gw'], validityDays: 1, now: NOW });
      expect(inspect(cert)).not.toContain('PRIVATE KEY');
      expect(JSON.stringify(cert)).not.toContain('PRIVATE KEY');
    });

    it.each([
      [{}, 'at least one'],
      [{ dnsNames: ['bad name'] }, 'not a DNS name'],
      [{ dnsNames: ['-leading.example'] }, 'not a DNS name'],
      [{ ipAddresses: ['300.1.1.1'] }, 'not an IP address'],
    ])('refuses names %j', async (names, message) => {
      await expect(issueServerCertificate(ca, { commonName: 'gw', validityDays: 1, now: NOW, ...names })).rejects.toThrow(
        expect.objectContaining({ constructor: ValidationError, message: expect.stringContaining(message) }),
      );
    });

    it('accepts a wildcard DNS name', async () => {
      const cert = await issueServerCertificate(ca, { commonName: 'gw', dnsNames: ['*.gw.local'], validityDays: 1, now: NOW });
      const openssl = new X509Certificate(cert.certDer);
      expect(openssl.checkHost('a.gw.local')).toBe('*.gw.local');
      expect(openssl.checkHost('gw.local')).toBeUndefined();
    });

    it('does not let a certificate outlive its CA', async () => {
      const cert = await issueServerCertificate(ca, { commonName: 'gw', dnsNames: ['gw'], validityDays: 3650, now: NOW });
      expect(cert.notAfter).toEqual(ca.notAfter);
    });

    it('refuses to issue from a CA outside its validity', async () => {
      const later = new Date(ca.notAfter.getTime() + 1000);
      await expect(issueServerCertificate(ca, { commonName: 'gw', dnsNames: ['gw'], validityDays: 1, now: later })).rejects.toThrow(
        CertificateAuthorityExpiredError,
      );
      const before = new Date(ca.notBefore.getTime() - 1000);
      await expect(
        issueDeviceCertificate(ca, { deviceId: 'd', publicKey: generateEd25519KeyPair().publicKey, validityDays: 1, now: before }),
      ).rejects.toMatchObject({ code: 'failed_precondition' });
    });
  });

  describe('issueDeviceCertificate', () => {
    it('certifies the device key for clientAuth with CN = deviceId', async () => {
      const device = generateEd25519KeyPair();
      const cert = await issueDeviceCertificate(ca, { deviceId: 'nrf52-0001', publicKey: device.publicKey, validityDays: 30, now: NOW });
      const openssl = new X509Certificate(cert.certDer);
      expect(issuedBy(cert.certDer, ca)).toBe(true);
      expect(openssl.subject).toBe('CN=nrf52-0001');
      expect(openssl.checkPrivateKey(device.privateKey)).toBe(true);
      expect(cert).toMatchObject({ commonName: 'nrf52-0001', publicKeyHex: device.publicKeyHex });
      expect(cert).not.toHaveProperty('keyPem');
      const ext = endEntityExtensions(cert.certDer);
      expect(ext.extendedKeyUsage).toEqual([CLIENT_AUTH]);
      expect(ext.constraints?.ca).toBe(false);
      expect(ext.authorityKeyId).toBe(sha1(ca.publicKey));
    });

    it('keeps a device id with DN special characters as one common name', async () => {
      const deviceId = 'lab, bench=3+x';
      const cert = await issueDeviceCertificate(ca, { deviceId, publicKey: generateEd25519KeyPair().publicKey, validityDays: 1, now: NOW });
      expect(new x509.X509Certificate(cert.certDer).subjectName.getField('CN')).toEqual([deviceId]);
    });
  });

  describe('createSelfSignedDeviceCertificate', () => {
    it('lets a device certify its own key from its seed, deterministically', async () => {
      const seed = new Uint8Array(32).fill(42);
      const a = await createSelfSignedDeviceCertificate({ deviceId: 'mcu-7', seed, validityDays: 365, now: NOW });
      const b = await createSelfSignedDeviceCertificate({ deviceId: 'mcu-7', seed, validityDays: 365, now: NOW });
      expect(a.publicKeyHex).toBe(ed25519KeyPairFromSeed(seed).publicKeyHex);
      expect(b.publicKeyHex).toBe(a.publicKeyHex);
      expect(b.serialNumber).not.toBe(a.serialNumber);
      const openssl = new X509Certificate(a.certDer);
      expect(openssl.subject).toBe(openssl.issuer);
      expect(openssl.verify(openssl.publicKey)).toBe(true);
      expect(openssl.ca).toBe(false);
      expect(endEntityExtensions(a.certDer).extendedKeyUsage).toEqual([CLIENT_AUTH]);
    });

    it('accepts the device private key as PEM', async () => {
      const keys = generateEd25519KeyPair();
      const cert = await createSelfSignedDeviceCertificate({ deviceId: 'mcu-8', privateKeyPem: keys.privateKeyPem, validityDays: 1 });
      expect(cert.publicKeyHex).toBe(keys.publicKeyHex);
    });
  });

  it('splits gateway hosts into DNS names and IP addresses', () => {
    expect(subjectAltNamesFor(['localhost', '127.0.0.1', '::1', 'gw.local'])).toEqual({
      dnsNames: ['localhost', 'gw.local'],
      ipAddresses: ['127.0.0.1', '::1'],
    });
  });
});
