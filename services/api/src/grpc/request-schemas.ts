import { NAME_PATTERN } from '@wasmbed/domain';
import { z } from 'zod';

/**
 * Edge checks in the request's own terms (field names as in the .proto),
 * for what the domain cannot see (byte lengths, oneofs, unset messages). The
 * domain validates everything else; its messages are re-labelled with request
 * field names (see commands/request-fields.ts).
 */

export const resourceName = z
  .string()
  .regex(NAME_PATTERN, 'must be a DNS label: 1-63 lowercase letters, digits or "-", starting and ending with a letter or digit');

export const commandFields = {
  commandId: z.string().max(128, 'must be at most 128 characters'),
  expectedVersion: z.number().int().nonnegative(),
  name: resourceName,
};

export function bytesOfLength(length: number, what: string) {
  return z.instanceof(Buffer).refine((b) => b.length === length, `must be exactly ${length} bytes (${what})`);
}

export const nonEmpty = z.string().trim().min(1, 'must not be empty');

/**
 * Checks the listed fields and passes the whole decoded request through
 * unchanged: the handler keeps the generated request type.
 */
export function checked<Req>(shape: z.core.$ZodLooseShape = {}): z.ZodType<Req> {
  return z.looseObject(shape) as unknown as z.ZodType<Req>;
}
