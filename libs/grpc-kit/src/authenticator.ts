import type { Metadata } from '@grpc/grpc-js';
import type { Principal } from './roles';

/**
 * Establishes who made a call from its metadata. Returns undefined when the
 * credentials are missing or not valid; handlers then answer UNAUTHENTICATED.
 * May be async (e.g. a JWT authenticator fetching signing keys).
 */
export interface Authenticator {
  authenticate(metadata: Metadata): Principal | undefined | Promise<Principal | undefined>;
}

export const AUTHORIZATION_METADATA_KEY = 'authorization';

/**
 * The token of an `authorization: Bearer <token>` entry, or undefined when
 * there is none, several, or another scheme. The scheme is case-insensitive
 * (RFC 7235).
 */
export function readBearerToken(metadata: Metadata): string | undefined {
  const values = metadata.get(AUTHORIZATION_METADATA_KEY);
  if (values.length !== 1 || typeof values[0] !== 'string') return undefined;
  const match = /^bearer +(\S+) *$/i.exec(values[0]);
  return match?.[1];
}
