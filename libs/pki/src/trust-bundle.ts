import { InvalidCertificateError } from './errors';
import { CertificateSource, parseCertificate, parseCertificates, ParsedCertificate } from './parse-certificate';
import { isExpired, isWithinValidity } from './validity';

/** One CA certificate of a bundle. */
export interface TrustedCertificateAuthority {
  readonly certPem: string;
  readonly certDer: Buffer;
  readonly commonName: string | undefined;
  /** Lower-case hex. */
  readonly serialNumber: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
  /** SHA-256 of the DER, lower-case hex. */
  readonly fingerprint: string;
}

/**
 * The CA certificates a party trusts, e.g. a gateway's trust for device certificates.
 * Holding several is what makes a CA rollover possible: during it the old and the
 * new CA are both trusted. Immutable; `with`/`without` return new bundles.
 */
export class TrustBundle {
  private constructor(private readonly cas: readonly ParsedCertificate[]) {}

  static empty(): TrustBundle {
    return new TrustBundle([]);
  }

  /** Concatenated PEM certificates; text with no certificate at all is refused as a likely wrong file. */
  static fromPem(pem: string): TrustBundle {
    const cas = parseCertificates(pem);
    if (cas.length === 0) throw new InvalidCertificateError('trust bundle PEM contains no certificate');
    return TrustBundle.empty().withParsed(cas);
  }

  static of(...cas: readonly CertificateSource[]): TrustBundle {
    return TrustBundle.empty().with(...cas);
  }

  get size(): number {
    return this.cas.length;
  }

  /** PEM concatenation, the form TLS `ca` options and files take. */
  get pem(): string {
    return this.cas.map((c) => c.pem).join('');
  }

  get certificates(): readonly TrustedCertificateAuthority[] {
    return this.cas.map(describe);
  }

  includes(cert: CertificateSource): boolean {
    const { fingerprint } = parseCertificate(cert);
    return this.cas.some((c) => c.fingerprint === fingerprint);
  }

  with(...cas: readonly CertificateSource[]): TrustBundle {
    return this.withParsed(cas.map(parseCertificate));
  }

  without(cert: CertificateSource): TrustBundle {
    const { fingerprint } = parseCertificate(cert);
    return new TrustBundle(this.cas.filter((c) => c.fingerprint !== fingerprint));
  }

  /** Drops CAs whose validity ended before `now`: the last step of a rollover, made routine. */
  withoutExpired(now: Date = new Date()): TrustBundle {
    return new TrustBundle(this.cas.filter((c) => !isExpired(c.notAfter, now)));
  }

  /**
   * The trusted CA that issued `cert`: names and key identifiers link them (OpenSSL's
   * issuer check), the CA's key verifies the certificate's signature, and the CA is
   * itself valid at `now`. Undefined when none does.
   */
  issuerOf(cert: CertificateSource, now: Date = new Date()): TrustedCertificateAuthority | undefined {
    const leaf = parseCertificate(cert);
    const issuer = this.cas.find(
      (ca) => isWithinValidity(ca, now) && leaf.openssl.checkIssued(ca.openssl) && leaf.openssl.verify(ca.openssl.publicKey),
    );
    return issuer && describe(issuer);
  }

  private withParsed(added: readonly ParsedCertificate[]): TrustBundle {
    const cas = [...this.cas];
    for (const ca of added) {
      if (!ca.openssl.ca) {
        throw new InvalidCertificateError(`'${ca.commonName ?? ca.serialNumber}' is not a CA certificate; a trust bundle holds CAs only`);
      }
      if (!cas.some((c) => c.fingerprint === ca.fingerprint)) cas.push(ca);
    }
    return new TrustBundle(cas);
  }
}

function describe(ca: ParsedCertificate): TrustedCertificateAuthority {
  return Object.freeze({
    certPem: ca.pem,
    certDer: ca.der,
    commonName: ca.commonName,
    serialNumber: ca.serialNumber,
    notBefore: ca.notBefore,
    notAfter: ca.notAfter,
    fingerprint: ca.fingerprint,
  });
}
