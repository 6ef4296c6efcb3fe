import type { IncomingMessage } from 'node:http';
import { Metadata } from '@grpc/grpc-js';
import {
  AUTHORIZATION_METADATA_KEY,
  PermissionDeniedError,
  roleSatisfies,
  UnauthenticatedError,
  type Authenticator,
  type Principal,
  type Role,
} from '@wasmbed/grpc-kit';

/**
 * The same bearer tokens as gRPC: the HTTP Authorization header is handed to the gRPC
 * authenticator as call metadata. `what` names the operation in a permission error.
 */
export async function authenticateHttp(
  req: Pick<IncomingMessage, 'headers'>,
  authenticator: Authenticator,
  required: Role,
  what: string,
): Promise<Principal> {
  const header = req.headers.authorization;
  const metadata = new Metadata();
  if (header !== undefined) metadata.set(AUTHORIZATION_METADATA_KEY, header);
  const principal = await authenticator.authenticate(metadata);
  if (principal === undefined) {
    throw new UnauthenticatedError(header === undefined ? "missing credentials: send header 'Authorization: Bearer <token>'" : 'invalid credentials');
  }
  if (!roleSatisfies(principal.role, required)) throw new PermissionDeniedError(what, required, principal.role);
  return principal;
}
