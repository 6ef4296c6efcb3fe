import { createHash, X509Certificate } from 'node:crypto';
import { inspect } from 'node:util';
import { ValidationError } from '@wasmbed/errors';
import { x509 } from './crypto-provider';
import {
  createCertificateAuthority,
  ed25519KeyPairFromSeed,
  generateEd25519KeyPair,
  InvalidCertificateError,
  issueDeviceCertificate,
  KeyMismatchError,
  loadCertificateAuthority,
} from './index';

const NOW = new Date('2030-03-01T12:00:00.000Z');
const sha1 = (bytes: Uint8Array) => createHash('sha1').update(bytes).digest('hex');

describe('createCertificateAuthority', () => {
  it('makes a self-signed Ed25519 CA with critical CA constraints, CA key usages and a key identifier', async () => {
    const ca = await createCertificateAuthority({ commonName: 'Wasmbed Root', validityDays: 3650, now: NOW });
    const openssl = new X509Certificate(ca.certDer);
    expect(openssl.ca).toBe(true);
    expect(openssl.subject).toBe('CN=Wasmbed Root');
    expect(openssl.issuer).toBe('CN=Wasmbed Root');
    expect(openssl.publicKey.asymmetricKeyType).toBe('ed25519');
    expect(openssl.verify(openssl.publicKey)).toBe(true);

    const fields = new x509.X509Certificate(ca.certDer);
    const constraints = fields.getExtension(x509.BasicConstraintsExtension)!;
    expect(constraints).toMatchObject({ ca: true, critical: true, pathLength: 0 });
    const usages = fields.getExtension(x509.KeyUsagesExtension)!;
    expect(usages.critical).toBe(true);
    expect(usages.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    expect(fields.getExtension(x509.SubjectKeyIdentifierExtension)!.keyId).toBe(sha1(ca.publicKey));
  });

  it('describes itself with the values encoded in the certificate', async () => {
    const ca = await createCertificateAuthority({ commonName: 'Wasmbed Root', validityDays: 30, now: NOW });
    const openssl = new X509Certificate(ca.certPem);
    expect(ca.certDer.equals(openssl.raw)).toBe(true);
    expect(ca.serialNumber).toBe(openssl.serialNumber.toLowerCase());
    expect(ca.notAfter.toISOString()).toBe('2030-03-31T12:00:00.000Z');
    expect(ca.notBefore.toISOString()).toBe('2030-03-01T11:55:00.000Z');
    expect(new Date(openssl.validTo)).toEqual(ca.notAfter);
    expect(openssl.checkPrivateKey(ed25519KeyPairFromSeed(new Uint8Array(32)).privateKey)).toBe(false);
  });

  it('uses random positive 16-byte serial numbers', async () => {
    const serials = await Promise.all(
      [1, 2, 3, 4].map(async () => (await createCertificateAuthority({ commonName: 'CA', validityDays: 1 })).serialNumber),
    );
    expect(new Set(serials).size).toBe(4);
    for (const serial of serials) expect(serial).toMatch(/^[1-7][0-9a-f]{31}$|^0[1-9a-f][0-9a-f]{30}$/);
  });

  it('certifies a given key pair', async () => {
    const keys = ed25519KeyPairFromSeed(new Uint8Array(32).fill(7));
    const ca = await createCertificateAuthority({ commonName: 'CA', validityDays: 1, keyPair: keys });
    expect(ca.publicKeyHex).toBe(keys.publicKeyHex);
    expect(new X509Certificate(ca.certPem).checkPrivateKey(keys.privateKey)).toBe(true);
  });

  it.each([[''], ['x'.repeat(65)], ['bad\nname']])('refuses the common name %j', async (commonName) => {
    await expect(createCertificateAuthority({ commonName, validityDays: 1 })).rejects.toThrow(ValidationError);
  });

  it('keeps its private key out of console output and JSON', async () => {
    const ca = await createCertificateAuthority({ commonName: 'CA', validityDays: 1 });
    expect(ca.keyPem).toContain('PRIVATE KEY');
    expect(inspect(ca)).not.toContain('PRIVATE KEY');
    expect(JSON.stringify(ca)).not.toContain('PRIVATE KEY');
    expect(JSON.parse(JSON.stringify(ca))).toMatchObject({ keyPem: '[redacted]', serialNumber: ca.serialNumber });
  });
});

describe('loadCertificateAuthority', () => {
  it('rebuilds a CA that can keep issuing', async () => {
    const ca = await createCertificateAuthority({ commonName: 'CA', validityDays: 10 });
    const loaded = loadCertificateAuthority({ certPem: ca.certPem, keyPem: ca.keyPem });
    expect(loaded).toMatchObject({ serialNumber: ca.serialNumber, publicKeyHex: ca.publicKeyHex, commonName: 'CA', notAfter: ca.notAfter });
    const device = await issueDeviceCertificate(loaded, { deviceId: 'd', publicKey: generateEd25519KeyPair().publicKey, validityDays: 1 });
    expect(new X509Certificate(device.certDer).verify(new X509Certificate(ca.certDer).publicKey)).toBe(true);
  });

  it('refuses a key that belongs to another certificate', async () => {
    const ca = await createCertificateAuthority({ commonName: 'CA', validityDays: 10 });
    const other = generateEd25519KeyPair();
    expect(() => loadCertificateAuthority({ certPem: ca.certPem, keyPem: other.privateKeyPem })).toThrow(KeyMismatchError);
  });

  it('refuses a certificate that is not a CA', async () => {
    const ca = await createCertificateAuthority({ commonName: 'CA', validityDays: 10 });
    const keys = generateEd25519KeyPair();
    const device = await issueDeviceCertificate(ca, { deviceId: 'd', publicKey: keys.publicKey, validityDays: 1 });
    expect(() => loadCertificateAuthority({ certPem: device.certPem, keyPem: keys.privateKeyPem })).toThrow(InvalidCertificateError);
  });
});
