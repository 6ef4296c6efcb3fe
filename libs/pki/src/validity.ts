import { ValidationError } from '@wasmbed/errors';

export const DAY_MS = 86_400_000;
/** notBefore is set this far in the past so a device whose clock lags a little still accepts a fresh certificate. */
export const CLOCK_SKEW_ALLOWANCE_MS = 5 * 60_000;
// X.509 GeneralizedTime reaches year 9999, but nothing here should live a century.
const MAX_VALIDITY_DAYS = 36_500;

export interface ValidityWindow {
  readonly notBefore: Date;
  readonly notAfter: Date;
}

/**
 * Validity of a certificate issued at `now` for `validityDays` (fractions allowed,
 * for short-lived certificates). Times are whole seconds because X.509 encodes no
 * milliseconds, so the returned dates equal what a parser reads back.
 */
export function validityWindow(now: Date, validityDays: number, notAfterLimit?: Date): ValidityWindow {
  requireDays('validityDays', validityDays, false);
  const issuedAt = wholeSeconds(now.getTime());
  let notAfter = wholeSeconds(issuedAt + validityDays * DAY_MS);
  if (notAfterLimit && notAfterLimit.getTime() < notAfter) notAfter = notAfterLimit.getTime();
  return { notBefore: new Date(issuedAt - CLOCK_SKEW_ALLOWANCE_MS), notAfter: new Date(notAfter) };
}

/** The instant from which a certificate ending at `notAfter` should be renewed. */
export function renewalDueAt(notAfter: Date, renewBeforeDays: number): Date {
  requireDays('renewBeforeDays', renewBeforeDays, true);
  return new Date(notAfter.getTime() - renewBeforeDays * DAY_MS);
}

export function isRenewalDue(notAfter: Date, options: { now: Date; renewBeforeDays: number }): boolean {
  return options.now.getTime() >= renewalDueAt(notAfter, options.renewBeforeDays).getTime();
}

export function isExpired(notAfter: Date, now: Date): boolean {
  return now.getTime() > notAfter.getTime();
}

export function isWithinValidity(window: ValidityWindow, now: Date): boolean {
  return now.getTime() >= window.notBefore.getTime() && !isExpired(window.notAfter, now);
}

function wholeSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

function requireDays(field: string, days: number, allowZero: boolean): void {
  const ok = Number.isFinite(days) && (allowZero ? days >= 0 : days > 0) && days <= MAX_VALIDITY_DAYS;
  if (!ok) {
    throw new ValidationError(`${field} must be a number of days in ${allowZero ? '[0' : '(0'}, ${MAX_VALIDITY_DAYS}]`, [
      `${field}: ${String(days)}`,
    ]);
  }
}
