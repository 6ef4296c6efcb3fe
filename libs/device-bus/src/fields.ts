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

/**
 * A gateway's device endpoint as the protocol's Bye carries it (docs/protocol.md §6.1):
 * "host:port", a DNS name, IPv4 or bracketed IPv6 host and a port from 1 to 65535.
 */
export const endpointField = z
  .string()
  .regex(/^(?:\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9.-]{1,253}):[1-9][0-9]{0,4}$/, 'must be host:port')
  .refine((value) => Number(value.slice(value.lastIndexOf(':') + 1)) <= 65_535, 'port must be at most 65535');

export const errorCodeField = z.enum(ERROR_CODES as unknown as [ErrorCode, ...ErrorCode[]]);

/** Transport-neutral failure carried in replies and results. */
export const busErrorSchema = z.object({ code: errorCodeField, message: z.string().min(1).max(4096) }).strict();
export type BusError = z.infer<typeof busErrorSchema>;
