import { ValidationError } from '@wasmbed/errors';
import { CLOCK_SKEW_ALLOWANCE_MS, DAY_MS, isExpired, isRenewalDue, isWithinValidity, renewalDueAt, validityWindow } from './validity';

const NOW = new Date('2030-01-15T10:20:30.987Z');

describe('validity maths', () => {
  it('starts a validity window slightly in the past and ends validityDays later, in whole seconds', () => {
    const { notBefore, notAfter } = validityWindow(NOW, 10);
    expect(notBefore.toISOString()).toBe('2030-01-15T10:15:30.000Z');
    expect(notAfter.toISOString()).toBe('2030-01-25T10:20:30.000Z');
    expect(Date.parse('2030-01-15T10:20:30.000Z') - notBefore.getTime()).toBe(CLOCK_SKEW_ALLOWANCE_MS);
  });

  it('allows fractional days for short-lived certificates', () => {
    expect(validityWindow(NOW, 1 / 24).notAfter.toISOString()).toBe('2030-01-15T11:20:30.000Z');
  });

  it('caps notAfter at a limit such as the issuing CA end', () => {
    const limit = new Date('2030-01-20T00:00:00.000Z');
    expect(validityWindow(NOW, 365, limit).notAfter).toEqual(limit);
    expect(validityWindow(NOW, 1, limit).notAfter.toISOString()).toBe('2030-01-16T10:20:30.000Z');
  });

  it.each([0, -1, Number.NaN, Number.POSITIVE_INFINITY, 40_000])('refuses validityDays %p', (days) => {
    expect(() => validityWindow(NOW, days)).toThrow(ValidationError);
  });

  it('is due for renewal from renewBeforeDays before notAfter on', () => {
    const notAfter = new Date('2030-02-01T00:00:00.000Z');
    const due = renewalDueAt(notAfter, 7);
    expect(due.toISOString()).toBe('2030-01-25T00:00:00.000Z');
    expect(isRenewalDue(notAfter, { now: new Date(due.getTime() - 1), renewBeforeDays: 7 })).toBe(false);
    expect(isRenewalDue(notAfter, { now: due, renewBeforeDays: 7 })).toBe(true);
    expect(isRenewalDue(notAfter, { now: new Date(notAfter.getTime() + DAY_MS), renewBeforeDays: 7 })).toBe(true);
  });

  it('with renewBeforeDays 0 renews exactly at notAfter', () => {
    const notAfter = new Date('2030-02-01T00:00:00.000Z');
    expect(isRenewalDue(notAfter, { now: new Date(notAfter.getTime() - 1), renewBeforeDays: 0 })).toBe(false);
    expect(isRenewalDue(notAfter, { now: notAfter, renewBeforeDays: 0 })).toBe(true);
  });

  it('refuses a negative renewBeforeDays', () => {
    expect(() => renewalDueAt(NOW, -1)).toThrow(ValidationError);
  });

  it('counts a certificate as expired only after its notAfter instant', () => {
    const notAfter = new Date('2030-02-01T00:00:00.000Z');
    expect(isExpired(notAfter, notAfter)).toBe(false);
    expect(isExpired(notAfter, new Date(notAfter.getTime() + 1))).toBe(true);
  });

  it('is within validity between notBefore and notAfter inclusive', () => {
    const window = validityWindow(NOW, 1);
    expect(isWithinValidity(window, window.notBefore)).toBe(true);
    expect(isWithinValidity(window, new Date(window.notBefore.getTime() - 1))).toBe(false);
    expect(isWithinValidity(window, window.notAfter)).toBe(true);
    expect(isWithinValidity(window, new Date(window.notAfter.getTime() + 1))).toBe(false);
  });
});
