import type { TLSSocket } from 'node:tls';
import { publicKeyToHex } from './ed25519-keys';
import { InvalidCertificateError } from './errors';
import { ed25519PublicKeyOf, isSelfIssued, parseCertificate } from './parse-certificate';
import { TrustBundle } from './trust-bundle';
import { isExpired } from './validity';

/** Who is on the other end of a TLS connection, as far as its certificate tells. */
export interface PeerIdentity {
  /** Raw 32-byte Ed25519 public key: the device identity the event log knows. */
  readonly publicKey: Uint8Array;
  readonly publicKeyHex: string;
  readonly commonName?: string;
  /** The certificate is signed by its own key (a device without the platform CA). */
  readonly selfSigned: boolean;
  /** A CA of the trust bundle, valid at `now`, signed the certificate. */
  readonly issuedByTrustedCa: boolean;
  /** Common name of that CA, when issuedByTrustedCa. */
  readonly issuerCommonName?: string;
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  readonly expired: boolean;
  readonly notYetValid: boolean;
}

/**
 * Reads the identity from a peer certificate's DER, which must come from a completed
 * TLS handshake (`socket.getPeerCertificate(true).raw`): the handshake's
 * CertificateVerify is what proves the peer holds the private key. This function
 * adds what the certificate alone can tell: whether a trusted CA vouches for the key
 * (signature checked against `trust`), and, for a self-signed certificate, that its
 * self-signature is intact, which proves nothing beyond what the handshake did.
 *
 * Refuses with a typed error certificates that are malformed, carry a key other than
 * Ed25519, or claim to be self-signed with a signature that does not verify. A
 * certificate from an unknown issuer is not an error: it is `issuedByTrustedCa: false`,
 * and enrollment in the event log decides what happens next.
 */
export function peerIdentityFromCertificate(der: Uint8Array, trust?: TrustBundle, now: Date = new Date()): PeerIdentity {
  const cert = parseCertificate(der);
  const publicKey = ed25519PublicKeyOf(cert);
  const selfIssued = isSelfIssued(cert);
  const selfSigned = selfIssued && cert.openssl.verify(cert.openssl.publicKey);
  const issuer = selfSigned ? undefined : trust?.issuerOf(cert.der, now);
  if (selfIssued && !selfSigned && !issuer) {
    throw new InvalidCertificateError('self-signed certificate whose signature does not verify');
  }
  return Object.freeze({
    publicKey,
    publicKeyHex: publicKeyToHex(publicKey),
    commonName: cert.commonName,
    selfSigned,
    issuedByTrustedCa: issuer !== undefined,
    issuerCommonName: issuer?.commonName,
    serialNumber: cert.serialNumber,
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    expired: isExpired(cert.notAfter, now),
    notYetValid: now.getTime() < cert.notBefore.getTime(),
  });
}

/** The identity of a connected TLS peer, or undefined when it presented no certificate. */
export function peerIdentityFromSocket(socket: TLSSocket, trust?: TrustBundle, now?: Date): PeerIdentity | undefined {
  const raw = socket.getPeerCertificate(true)?.raw;
  return raw && raw.length > 0 ? peerIdentityFromCertificate(raw, trust, now) : undefined;
}
