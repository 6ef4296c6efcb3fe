import {
  CertificateAuthority,
  createCertificateAuthority,
  generateEd25519KeyPair,
  issueDeviceCertificate,
  needsRenewal,
  peerIdentityFromCertificate,
  rotateCertificateAuthority,
  TrustBundle,
} from './index';

const NOW = new Date('2030-03-01T12:00:00.000Z');
const DAY_MS = 86_400_000;

describe('CA rotation', () => {
  let old: CertificateAuthority;
  beforeAll(async () => {
    old = await createCertificateAuthority({ commonName: 'Platform CA', validityDays: 100, now: NOW });
  });

  it('creates a new CA with a new key, the same name and lifetime, and a bundle trusting both', async () => {
    const later = new Date(NOW.getTime() + 80 * DAY_MS);
    const { previous, next, bundle } = await rotateCertificateAuthority(old, { now: later });
    expect(previous).toBe(old);
    expect(next.publicKeyHex).not.toBe(old.publicKeyHex);
    expect(next.serialNumber).not.toBe(old.serialNumber);
    expect(next.commonName).toBe('Platform CA');
    expect(next.notAfter.getTime() - later.getTime()).toBe(100 * DAY_MS);
    expect(bundle.certificates.map((c) => c.serialNumber)).toEqual([old.serialNumber, next.serialNumber]);
  });

  it('vouches for devices of both CAs during the rollover and only the new one after retirement', async () => {
    const { next, bundle } = await rotateCertificateAuthority(old, { now: NOW, validityDays: 200, commonName: 'Platform CA 2' });
    expect(next.commonName).toBe('Platform CA 2');
    const issue = (ca: CertificateAuthority) =>
      issueDeviceCertificate(ca, { deviceId: 'd', publicKey: generateEd25519KeyPair().publicKey, validityDays: 10, now: NOW });
    const fromOld = await issue(old);
    const fromNew = await issue(next);
    expect(peerIdentityFromCertificate(fromOld.certDer, bundle, NOW).issuedByTrustedCa).toBe(true);
    expect(peerIdentityFromCertificate(fromNew.certDer, bundle, NOW).issuedByTrustedCa).toBe(true);
    const retired = bundle.without(old);
    expect(peerIdentityFromCertificate(fromOld.certDer, retired, NOW).issuedByTrustedCa).toBe(false);
    expect(peerIdentityFromCertificate(fromNew.certDer, retired, NOW).issuedByTrustedCa).toBe(true);
  });

  it('extends a bundle that already trusts other CAs', async () => {
    const partner = await createCertificateAuthority({ commonName: 'Partner CA', validityDays: 100, now: NOW });
    const { bundle } = await rotateCertificateAuthority(old, { now: NOW, trust: TrustBundle.of(partner, old) });
    expect(bundle.certificates.map((c) => c.commonName)).toEqual(['Partner CA', 'Platform CA', 'Platform CA']);
  });
});

describe('needsRenewal', () => {
  it('is due from renewBeforeDays before the certificate ends', async () => {
    const ca = await createCertificateAuthority({ commonName: 'CA', validityDays: 30, now: NOW });
    const cert = await issueDeviceCertificate(ca, { deviceId: 'd', publicKey: generateEd25519KeyPair().publicKey, validityDays: 10, now: NOW });
    const dueAt = new Date(cert.notAfter.getTime() - 3 * DAY_MS);
    expect(needsRenewal(cert.certPem, { now: new Date(dueAt.getTime() - 1), renewBeforeDays: 3 })).toBe(false);
    expect(needsRenewal(cert.certPem, { now: dueAt, renewBeforeDays: 3 })).toBe(true);
    expect(needsRenewal(cert.certDer, { now: new Date(NOW.getTime() + 20 * DAY_MS), renewBeforeDays: 0 })).toBe(true);
    expect(needsRenewal(ca, { now: NOW, renewBeforeDays: 29 })).toBe(false);
    expect(needsRenewal(ca, { now: NOW, renewBeforeDays: 30 })).toBe(true);
  });
});
