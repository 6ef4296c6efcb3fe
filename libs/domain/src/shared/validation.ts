import { sortedUnique } from './canonical';
import { InvalidCommand } from './errors';

/**
 * Validators for command input. Commands may come straight from JSON, so each
 * takes `unknown`, throws InvalidCommand naming the field, and returns the value
 * in its canonical form (lowercase hex, sorted lists) so events are deterministic.
 */

/** DNS-label style names: device, application, gateway and region names. */
export const NAME_PATTERN = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;

export function requireName(field: string, value: unknown): string {
  if (typeof value !== 'string' || !NAME_PATTERN.test(value)) {
    throw new InvalidCommand(field, `must match ${NAME_PATTERN.source} (lowercase letters, digits and '-', at most 63)`);
  }
  return value;
}

export function optionalName(field: string, value: unknown): string | null {
  return value === undefined || value === null ? null : requireName(field, value);
}

/** Exactly `bytes` bytes as hex; accepted in any case, returned lowercase. */
export function requireHex(field: string, value: unknown, bytes: number): string {
  if (typeof value !== 'string' || value.length !== bytes * 2 || !/^[0-9a-fA-F]*$/.test(value)) {
    throw new InvalidCommand(field, `must be ${bytes} bytes as ${bytes * 2} hex characters`);
  }
  return value.toLowerCase();
}

/** A 32-byte Ed25519 public key as 64 hex characters. */
export function requirePublicKey(field: string, value: unknown): string {
  return requireHex(field, value, 32);
}

export function requireSha256(field: string, value: unknown): string {
  return requireHex(field, value, 32);
}

/** Free text without control characters (reasons, board names, firmware versions). */
export function requireText(field: string, value: unknown, maxLength = 256): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxLength || /[\u0000-\u001f\u007f]/.test(value)) {
    throw new InvalidCommand(field, `must be non-empty text of at most ${maxLength} characters without control characters`);
  }
  return value;
}

/** An opaque identifier such as a session or instance id. */
export function requireToken(field: string, value: unknown): string {
  if (typeof value !== 'string' || !/^[A-Za-z0-9._:-]{1,128}$/.test(value)) {
    throw new InvalidCommand(field, 'must be 1-128 characters of letters, digits, ".", "_", ":" or "-"');
  }
  return value;
}

export function requireBoolean(field: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InvalidCommand(field, 'must be a boolean');
  return value;
}

export function requireInteger(field: string, value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
    throw new InvalidCommand(field, `must be an integer ${range}`);
  }
  return value;
}

export function requireNonNegativeInt(field: string, value: unknown): number {
  return requireInteger(field, value, 0);
}

export function requirePositiveInt(field: string, value: unknown): number {
  return requireInteger(field, value, 1);
}

export function requireRecord(field: string, value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new InvalidCommand(field, 'must be an object');
  }
  return value as Record<string, unknown>;
}

export function requireArray(field: string, value: unknown): unknown[] {
  if (!Array.isArray(value)) throw new InvalidCommand(field, 'must be an array');
  return value;
}

/** A set of names: validated, de-duplicated and sorted. */
export function requireNameSet(field: string, value: unknown): string[] {
  return sortedUnique(requireArray(field, value).map((v, i) => requireName(`${field}[${i}]`, v)));
}

/** A set of free-text items (host function names...): validated, de-duplicated and sorted. */
export function requireTextSet(field: string, value: unknown, maxLength = 128): string[] {
  return sortedUnique(requireArray(field, value).map((v, i) => requireText(`${field}[${i}]`, v, maxLength)));
}

/** A percentage in (0, 100], or [0, 100] when zero is allowed. */
export function requirePercent(field: string, value: unknown, allowZero: boolean): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value > 100 || value < 0 || (!allowZero && value === 0)) {
    throw new InvalidCommand(field, allowZero ? 'must be a number between 0 and 100' : 'must be a number above 0 and at most 100');
  }
  return value;
}
