import { createHash, KeyObject, randomBytes } from 'node:crypto';
import { webcrypto, x509 } from './crypto-provider';
import { publicKeyToHex, rawPublicKeyFromKeyObject, rawPublicKeyToSpkiDer } from './ed25519-keys';
import { parseCertificate } from './parse-certificate';
import { ValidityWindow } from './validity';
import { ValidationError } from '@wasmbed/errors';

const ED25519 = { name: 'Ed25519' };
// ub-common-name in RFC 5280.
const MAX_COMMON_NAME_LENGTH = 64;

/** A certificate as issued: PEM and DER of the same bytes plus the facts callers look at. */
export interface IssuedCertificate {
  readonly certPem: string;
  readonly certDer: Buffer;
  readonly commonName: string;
  /** Raw 32-byte Ed25519 key the certificate certifies. */
  readonly publicKey: Uint8Array;
  readonly publicKeyHex: string;
  /** Lower-case hex. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/** What a certificate may be used for; each maps to a fixed extension set. */
export type CertificateProfile =
  | { kind: 'ca' }
  | { kind: 'server'; dnsNames: readonly string[]; ipAddresses: readonly string[] }
  | { kind: 'client' };

export interface Signer {
  /** Subject name of the issuing certificate, copied byte for byte so issuer links match. */
  readonly name: x509.Name;
  readonly privateKey: KeyObject;
}

export interface CertificateSpec {
  readonly commonName: string;
  readonly publicKey: Uint8Array;
  readonly validity: ValidityWindow;
  readonly profile: CertificateProfile;
  /** A CA's signer, or `{ self }`: the private key behind `publicKey` signs its own certificate. */
  readonly signedBy: Signer | { readonly self: KeyObject };
}

export async function buildCertificate(spec: CertificateSpec): Promise<IssuedCertificate> {
  requireCommonName(spec.commonName);
  const subject = new x509.Name([{ CN: [spec.commonName] }]);
  const { signedBy } = spec;
  const signer: Signer = 'self' in signedBy ? { name: subject, privateKey: signedBy.self } : signedBy;
  const issuerPublicKey = 'self' in signedBy ? undefined : rawPublicKeyFromKeyObject(signedBy.privateKey);
  const signingKey = await webcrypto.subtle.importKey(
    'pkcs8',
    signer.privateKey.export({ format: 'der', type: 'pkcs8' }),
    ED25519,
    false,
    ['sign'],
  );
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject,
    issuer: signer.name,
    notBefore: spec.validity.notBefore,
    notAfter: spec.validity.notAfter,
    publicKey: rawPublicKeyToSpkiDer(spec.publicKey),
    signingKey,
    signingAlgorithm: ED25519,
    extensions: extensionsFor(spec.profile, spec.publicKey, issuerPublicKey),
  });
  // Read back through both parsers: what we return is what any relying party will see.
  const parsed = parseCertificate(new Uint8Array(cert.rawData));
  return {
    certPem: parsed.pem,
    certDer: parsed.der,
    commonName: spec.commonName,
    publicKey: spec.publicKey,
    publicKeyHex: publicKeyToHex(spec.publicKey),
    serialNumber: parsed.serialNumber,
    notBefore: parsed.notBefore,
    notAfter: parsed.notAfter,
  };
}

/** RFC 5280 key identifier, method 1: SHA-1 of the subjectPublicKey bits (the raw Ed25519 key). */
export function keyIdentifier(publicKey: Uint8Array): string {
  return createHash('sha1').update(publicKey).digest('hex');
}

function extensionsFor(profile: CertificateProfile, publicKey: Uint8Array, issuerPublicKey?: Uint8Array): x509.Extension[] {
  const { KeyUsageFlags, ExtendedKeyUsage } = x509;
  const identifiers: x509.Extension[] = [new x509.SubjectKeyIdentifierExtension(keyIdentifier(publicKey))];
  if (issuerPublicKey) identifiers.push(new x509.AuthorityKeyIdentifierExtension(keyIdentifier(issuerPublicKey)));
  switch (profile.kind) {
    case 'ca':
      // pathLen 0: the platform CA signs end-entity certificates only, never sub-CAs.
      return [
        new x509.BasicConstraintsExtension(true, 0, true),
        new x509.KeyUsagesExtension(KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign, true),
        ...identifiers,
      ];
    case 'server':
      return [
        ...endEntity(ExtendedKeyUsage.serverAuth),
        new x509.SubjectAlternativeNameExtension([
          ...profile.dnsNames.map((value) => ({ type: 'dns' as const, value })),
          ...profile.ipAddresses.map((value) => ({ type: 'ip' as const, value })),
        ]),
        ...identifiers,
      ];
    case 'client':
      return [...endEntity(ExtendedKeyUsage.clientAuth), ...identifiers];
  }
}

function endEntity(usage: x509.ExtendedKeyUsage): x509.Extension[] {
  return [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([usage], false),
  ];
}

/** 16 random bytes with the top bit cleared: positive and exactly 16 bytes in DER. */
function randomSerialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] &= 0x7f;
  if (bytes[0] === 0) bytes[0] = 0x01; // keeps the DER length at 16 bytes
  return bytes.toString('hex');
}

function requireCommonName(commonName: string): void {
  const ok =
    typeof commonName === 'string' &&
    commonName.length > 0 &&
    commonName.length <= MAX_COMMON_NAME_LENGTH &&
    !/[\u0000-\u001f\u007f]/.test(commonName);
  if (!ok) {
    throw new ValidationError(`common name must be 1-${MAX_COMMON_NAME_LENGTH} characters without control characters`, [
      `commonName: ${JSON.stringify(String(commonName).slice(0, 80))}`,
    ]);
  }
}
