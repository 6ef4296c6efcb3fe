import { ERROR_CODES, type ErrorCode } from '@wasmbed/errors';
import { NAME_PATTERN } from '@wasmbed/domain';
import { z } from 'zod';

/** Schema pieces shared by every bus message. */

export const nameField = z.string().regex(NAME_PATTERN, 'must be a lowercase DNS label');

export function hexField(bytes: number) {
  return z.string().regex(new RegExp(`^[0-9a-f]{${bytes * 2}}$`), `must be ${bytes} bytes as ${bytes * 2} lowercase hex characters`);
}

export const sha256Field = hexField(32);

export const isoTimeField = z.iso.datetime({ offset: true });

/** Session and instance ids: opaque tokens as the domain accepts them. */
export const tokenField = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be 1-128 letters, digits, ".", "_", ":" or "-"');

export const errorCodeField = z.enum(ERROR_CODES as unknown as [ErrorCode, ...ErrorCode[]]);

/** Transport-neutral failure carried in replies and results. */
export const busErrorSchema = z.object({ code: errorCodeField, message: z.string().min(1).max(4096) }).strict();
export type BusError = z.infer<typeof busErrorSchema>;
