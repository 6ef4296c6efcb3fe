/** Roles in increasing power: each role may do everything the ones before it may. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who made a call, as established by an Authenticator. */
export interface Principal {
  /** Stable identity (a user or service name); safe to log and to record as an event's actor. */
  readonly subject: string;
  readonly role: Role;
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

/** True when `role` is `required` or above it (admin > operator > viewer). */
export function roleSatisfies(role: Role, required: Role): boolean {
  return ROLES.indexOf(role) >= ROLES.indexOf(required);
}
