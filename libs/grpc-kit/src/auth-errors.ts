import { WasmbedError } from '@wasmbed/errors';
import type { Role } from './roles';

/** The call carries no valid credentials. */
export class UnauthenticatedError extends WasmbedError {
  readonly code = 'unauthenticated' as const;
}

/** The caller is known but its role is below what the method needs. */
export class PermissionDeniedError extends WasmbedError {
  readonly code = 'permission_denied' as const;
  constructor(method: string, readonly requiredRole: Role, readonly actualRole: Role) {
    super(`${method} requires role '${requiredRole}' (the caller has role '${actualRole}')`, { requiredRole, actualRole });
  }
}
