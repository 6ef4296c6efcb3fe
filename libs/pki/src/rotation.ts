import { CertificateAuthority, createCertificateAuthority } from './certificate-authority';
import { CertificateSource, parseCertificate } from './parse-certificate';
import { TrustBundle } from './trust-bundle';
import { CLOCK_SKEW_ALLOWANCE_MS, DAY_MS, isRenewalDue } from './validity';

export interface RotateCertificateAuthorityOptions {
  /** Default: the old CA's common name (issuer links also use key identifiers, so names may repeat). */
  readonly commonName?: string;
  /** Default: the old CA's lifetime. */
  readonly validityDays?: number;
  readonly now?: Date;
  /** The bundle currently trusted; default: just the old CA. */
  readonly trust?: TrustBundle;
}

export interface CertificateAuthorityRotation {
  readonly previous: CertificateAuthority;
  readonly next: CertificateAuthority;
  /** `trust` plus both CAs: what relying parties must trust until `previous` is retired. */
  readonly bundle: TrustBundle;
}

/**
 * First step of a CA rollover: a new CA and a bundle trusting old and new. Then
 * distribute the bundle, issue new certificates from `next`, and finally retire the
 * old CA with `bundle.without(previous)` once nothing it issued is still in use.
 */
export async function rotateCertificateAuthority(
  previous: CertificateAuthority,
  options: RotateCertificateAuthorityOptions = {},
): Promise<CertificateAuthorityRotation> {
  const lifetimeMs = previous.notAfter.getTime() - previous.notBefore.getTime() - CLOCK_SKEW_ALLOWANCE_MS;
  const next = await createCertificateAuthority({
    commonName: options.commonName ?? previous.commonName,
    validityDays: options.validityDays ?? Math.max(lifetimeMs, 1000) / DAY_MS,
    now: options.now,
  });
  const bundle = (options.trust ?? TrustBundle.empty()).with(previous, next);
  return { previous, next, bundle };
}

/** True once `now` is within `renewBeforeDays` of the certificate's notAfter (or past it). */
export function needsRenewal(cert: CertificateSource, options: { renewBeforeDays: number; now?: Date }): boolean {
  const { notAfter } = parseCertificate(cert);
  return isRenewalDue(notAfter, { now: options.now ?? new Date(), renewBeforeDays: options.renewBeforeDays });
}
