import { ValidationError } from '@wasmbed/errors';
import type { z } from 'zod';

/** `spec.targets.kind.value.names[2]` style path of a zod issue. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    out += typeof key === 'number' ? `[${key}]` : out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(request)' : out;
}

/**
 * Parses a decoded request with its schema; a mismatch becomes a
 * ValidationError (INVALID_ARGUMENT) listing every offending field.
 */
export async function validateRequest<T>(schema: z.ZodType<T>, request: unknown): Promise<T> {
  const result = await schema.safeParseAsync(request);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => `${formatIssuePath(issue.path)}: ${issue.message}`);
  throw new ValidationError(`invalid request: ${issues.join('; ')}`, issues);
}
