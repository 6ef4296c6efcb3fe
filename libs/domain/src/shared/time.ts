import { InvalidCommand } from './errors';

// Date-time with an explicit zone, so the same string means the same instant everywhere.
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

export function requireIsoTime(field: string, value: unknown): string {
  if (typeof value !== 'string' || !ISO_8601.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidCommand(field, 'must be an ISO-8601 date-time with a zone, e.g. 2024-01-01T00:00:00Z');
  }
  return value;
}

/** `iso` plus `seconds`, as a UTC ISO string (pure: no clock). */
export function addSeconds(iso: string, seconds: number): string {
  return new Date(Date.parse(iso) + seconds * 1000).toISOString();
}

/** True when instant `a` is strictly before instant `b`. */
export function isBefore(a: string, b: string): boolean {
  return Date.parse(a) < Date.parse(b);
}
