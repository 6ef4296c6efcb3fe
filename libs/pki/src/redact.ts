import { inspect } from 'node:util';

const REDACTED = '[redacted]';

/**
 * Freezes an object that holds private key material and makes `console.log`,
 * `util.inspect` and `JSON.stringify` print "[redacted]" for the secret fields, so
 * a stray log line cannot leak a key. Code still reads the fields normally; files
 * are written with writePkiMaterial, not by serialising these objects.
 */
export function redactSecretsInLogs<T extends object>(value: T, secretFields: readonly (keyof T & string)[]): Readonly<T> {
  const safeView = (): Record<string, unknown> =>
    Object.fromEntries(
      Object.entries(value).map(([field, v]) => [field, (secretFields as readonly string[]).includes(field) ? REDACTED : v]),
    );
  Object.defineProperty(value, inspect.custom, {
    value: (_depth: number, options: object) => inspect(safeView(), options),
  });
  Object.defineProperty(value, 'toJSON', { value: safeView });
  return Object.freeze(value);
}
