/**
 * A Lease time. The apiserver parses Lease times as RFC 3339 with exactly six fraction
 * digits (metav1.MicroTime) and refuses a plain Date's milliseconds; the client library
 * sends Dates through toJSON → toISOString, so this one writes microseconds.
 * Structurally the client's V1MicroTime.
 */
export class MicroTime extends Date {
  override toISOString(): string {
    return `${super.toISOString().slice(0, -1)}000Z`;
  }
}

/** A Lease time as read back: the client leaves it a string (or a Date); undefined when absent or unreadable. */
export function leaseTimeMs(value: unknown): number | undefined {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? undefined : value.getTime();
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}
