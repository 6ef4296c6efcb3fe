import { z } from 'zod';

/** App lifecycle states as devices report them (the protocol's AppState). */
export const APP_STATES = ['starting', 'running', 'stopped', 'failed'] as const;
export type AppState = (typeof APP_STATES)[number];
export const appStateField = z.enum(APP_STATES);

/**
 * App ids as devices report them: the protocol's identifier syntax, wider than the
 * platform's DNS-label names (a device may hold apps it was given elsewhere).
 */
export const deviceAppIdField = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$/, 'must be a protocol identifier (at most 64 characters)');

/** A failure a device reported: a protocol error code and its message. */
export const deviceErrorSchema = z
  .object({ code: z.string().regex(/^[a-z][a-z0-9_]{0,31}$/, 'must be a protocol error code'), message: z.string().max(4096) })
  .strict();
export type DeviceError = z.infer<typeof deviceErrorSchema>;
