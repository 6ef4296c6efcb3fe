import { createHash, X509Certificate as NodeX509Certificate } from 'node:crypto';
import { x509 } from './crypto-provider';
import { rawPublicKeyFromKeyObject } from './ed25519-keys';
import { InvalidCertificateError, UnsupportedKeyAlgorithmError } from './errors';

/**
 * One certificate seen through two parsers: OpenSSL (Node's X509Certificate, the
 * same code TLS uses) checks signatures and issuer links; @peculiar/x509 gives
 * exact dates and name fields.
 */
export interface ParsedCertificate {
  readonly der: Buffer;
  readonly pem: string;
  readonly openssl: NodeX509Certificate;
  readonly fields: x509.X509Certificate;
  readonly commonName: string | undefined;
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SHA-256 of the DER, lower-case hex. */
  readonly fingerprint: string;
}

/** A certificate as PEM text, DER bytes, or anything carrying `certPem` (a CertificateAuthority, an IssuedCertificate). */
export type CertificateSource = string | Uint8Array | { readonly certPem: string };

export function parseCertificate(source: CertificateSource): ParsedCertificate {
  if (typeof source === 'string') return parseDer(singleDerFromPem(source));
  if (source instanceof Uint8Array) return parseDer(Buffer.from(source));
  return parseDer(singleDerFromPem(source.certPem));
}

/** Every certificate of a PEM bundle, in order. */
export function parseCertificates(pem: string): ParsedCertificate[] {
  return decodePem(pem).map(parseDer);
}

/** The raw Ed25519 public key a certificate certifies; other algorithms are refused. */
export function ed25519PublicKeyOf(cert: ParsedCertificate): Uint8Array {
  const type = cert.openssl.publicKey.asymmetricKeyType;
  if (type !== 'ed25519') throw new UnsupportedKeyAlgorithmError(type ?? 'unknown');
  return rawPublicKeyFromKeyObject(cert.openssl.publicKey);
}

/** Subject and issuer names are byte-identical: the certificate claims to have signed itself. */
export function isSelfIssued(cert: ParsedCertificate): boolean {
  return Buffer.from(cert.fields.subjectName.toArrayBuffer()).equals(Buffer.from(cert.fields.issuerName.toArrayBuffer()));
}

function parseDer(der: Buffer): ParsedCertificate {
  let openssl: NodeX509Certificate;
  let fields: x509.X509Certificate;
  try {
    openssl = new NodeX509Certificate(der);
    fields = new x509.X509Certificate(der);
  } catch {
    throw new InvalidCertificateError('not a well-formed X.509 certificate');
  }
  return {
    der,
    pem: openssl.toString(),
    openssl,
    fields,
    commonName: fields.subjectName.getField('CN')[0],
    serialNumber: fields.serialNumber.toLowerCase(),
    notBefore: fields.notBefore,
    notAfter: fields.notAfter,
    fingerprint: createHash('sha256').update(der).digest('hex'),
  };
}

function singleDerFromPem(pem: string): Buffer {
  const ders = decodePem(pem);
  if (ders.length !== 1) throw new InvalidCertificateError(`expected one PEM certificate, found ${ders.length}`);
  return ders[0];
}

function decodePem(pem: string): Buffer[] {
  const blocks = [...pem.matchAll(/-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g)];
  if (blocks.some((b) => b[1] !== 'CERTIFICATE')) {
    throw new InvalidCertificateError('PEM text contains a block that is not a CERTIFICATE');
  }
  return blocks.map((b) => Buffer.from(b[2].replace(/\s+/g, ''), 'base64'));
}
