import { KeyObject } from 'node:crypto';
import { buildCertificate, IssuedCertificate, Signer } from './certificate-builder';
import { Ed25519KeyPair, ed25519PrivateKeyFromPem, generateEd25519KeyPair, publicKeyToHex, rawPublicKeyFromKeyObject } from './ed25519-keys';
import { CertificateAuthorityExpiredError, InvalidCertificateError, KeyMismatchError } from './errors';
import { ed25519PublicKeyOf, parseCertificate } from './parse-certificate';
import { redactSecretsInLogs } from './redact';
import { isWithinValidity, validityWindow } from './validity';

/** A CA certificate with its private key. `keyPem` prints as "[redacted]" in logs and JSON. */
export interface CertificateAuthority extends IssuedCertificate {
  /** PKCS#8 PEM of the CA's Ed25519 private key. */
  readonly keyPem: string;
}

export interface CreateCertificateAuthorityOptions {
  readonly commonName: string;
  readonly validityDays: number;
  readonly now?: Date;
  /** Key to certify; a fresh one by default. */
  readonly keyPair?: Ed25519KeyPair;
}

/** A self-signed Ed25519 root: basicConstraints CA (critical, pathLen 0), keyCertSign + cRLSign, subject key identifier. */
export async function createCertificateAuthority(options: CreateCertificateAuthorityOptions): Promise<CertificateAuthority> {
  const keyPair = options.keyPair ?? generateEd25519KeyPair();
  const cert = await buildCertificate({
    commonName: options.commonName,
    publicKey: keyPair.publicKey,
    validity: validityWindow(options.now ?? new Date(), options.validityDays),
    profile: { kind: 'ca' },
    signedBy: { self: keyPair.privateKey },
  });
  return withKey(cert, keyPair.privateKeyPem);
}

/** Rebuilds a CA from its stored certificate and key, checking that they belong together. */
export function loadCertificateAuthority(material: { certPem: string; keyPem: string }): CertificateAuthority {
  const cert = parseCertificate(material.certPem);
  if (!cert.openssl.ca) throw new InvalidCertificateError('certificate is not a CA certificate (basicConstraints CA:false)');
  const publicKey = ed25519PublicKeyOf(cert);
  requireKeyMatches(ed25519PrivateKeyFromPem(material.keyPem), publicKey, `CA certificate '${cert.commonName ?? cert.serialNumber}'`);
  return withKey(
    {
      certPem: cert.pem,
      certDer: cert.der,
      commonName: cert.commonName ?? '',
      publicKey,
      publicKeyHex: publicKeyToHex(publicKey),
      serialNumber: cert.serialNumber,
      notBefore: cert.notBefore,
      notAfter: cert.notAfter,
    },
    material.keyPem,
  );
}

/** The signer for certificates issued by `ca` at `now`; refuses a CA outside its validity. */
export function signerOf(ca: CertificateAuthority, now: Date): Signer {
  if (!isWithinValidity(ca, now)) throw new CertificateAuthorityExpiredError(ca.commonName, ca.notAfter);
  const privateKey = ed25519PrivateKeyFromPem(ca.keyPem);
  requireKeyMatches(privateKey, ca.publicKey, `CA certificate '${ca.commonName}'`);
  return { name: parseCertificate(ca.certDer).fields.subjectName, privateKey };
}

function requireKeyMatches(privateKey: KeyObject, publicKey: Uint8Array, what: string): void {
  if (!Buffer.from(rawPublicKeyFromKeyObject(privateKey)).equals(publicKey)) throw new KeyMismatchError(what);
}

function withKey(cert: IssuedCertificate, keyPem: string): CertificateAuthority {
  return redactSecretsInLogs({ ...cert, keyPem }, ['keyPem']);
}
