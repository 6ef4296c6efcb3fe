import { randomUUID } from 'node:crypto';
import { status, type Deadline, type Metadata, type ServerUnaryCall, type StatusObject } from '@grpc/grpc-js';
import { isWasmbedError } from '@wasmbed/errors';
import type { z } from 'zod';
import { AUTHORIZATION_METADATA_KEY } from './authenticator';
import { PermissionDeniedError, UnauthenticatedError } from './auth-errors';
import { describeError } from './logger';
import { validateRequest } from './request-validation';
import { roleSatisfies, type Principal, type Role } from './roles';
import type { ServerRuntime } from './server-runtime';
import { wasmbedErrorToStatus } from './status-mapping';

/** What every handler gets besides its validated request. */
export interface HandlerContext {
  readonly principal: Principal;
  readonly metadata: Metadata;
  /** The client's deadline (Infinity when none). */
  readonly deadline: Deadline;
  /**
   * Aborted when the client cancels or the deadline passes; for server
   * streams also when the server shuts down.
   */
  readonly signal: AbortSignal;
  /** Full method path, e.g. "/wasmbed.v1.DeviceService/RegisterDevice". */
  readonly method: string;
}

/** The access rule and request schema shared by both handler kinds. */
export interface HandlerSpec<Parsed> {
  /** Minimum role allowed to call the method. */
  readonly role: Role;
  /** Validates the decoded request; its output is what `handle` receives. */
  readonly schema: z.ZodType<Parsed>;
}

// Every server call kind this module handles has these members (grpc-js does not export ServerSurfaceCall).
type IncomingCall = ServerUnaryCall<unknown, unknown>;

/** Authenticate, authorize, validate: in that order, so strangers learn nothing about request rules. */
export async function admitCall<Parsed>(
  call: IncomingCall,
  spec: HandlerSpec<Parsed>,
  runtime: ServerRuntime,
  extraAbort?: AbortSignal,
): Promise<{ request: Parsed; ctx: HandlerContext }> {
  const method = call.getPath();
  const principal = await runtime.authenticator.authenticate(call.metadata);
  if (principal === undefined) {
    const missing = call.metadata.get(AUTHORIZATION_METADATA_KEY).length === 0;
    runtime.logger.warn('call rejected: not authenticated', { method, peer: call.getPeer(), credentials: missing ? 'missing' : 'invalid' });
    throw new UnauthenticatedError(
      missing ? "missing credentials: send metadata 'authorization: Bearer <token>'" : 'invalid credentials',
    );
  }
  if (!roleSatisfies(principal.role, spec.role)) {
    runtime.logger.warn('call rejected: role too low', { method, subject: principal.subject, role: principal.role, requiredRole: spec.role });
    throw new PermissionDeniedError(method, spec.role, principal.role);
  }
  const request = await validateRequest(spec.schema, call.request);
  const signal = extraAbort ? AbortSignal.any([cancellationSignal(call), extraAbort]) : cancellationSignal(call);
  return { request, ctx: { principal, metadata: call.metadata, deadline: call.getDeadline(), signal, method } };
}

function cancellationSignal(call: IncomingCall): AbortSignal {
  const controller = new AbortController();
  if (call.cancelled) controller.abort();
  else call.once('cancelled', () => controller.abort());
  return controller.signal;
}

/**
 * The status a failed call ends with. Domain errors keep their code and
 * message; anything else is a bug: logged in full with a reference, answered
 * with INTERNAL and only that reference (no message, no stack).
 */
export function failureStatus(err: unknown, call: IncomingCall, runtime: ServerRuntime): Partial<StatusObject> {
  if (isWasmbedError(err)) {
    if (err.code === 'internal') runtime.logger.error('handler reported an internal error', { method: call.getPath(), error: describeError(err) });
    return wasmbedErrorToStatus(err);
  }
  const ref = randomUUID();
  runtime.logger.error('handler failed unexpectedly', { method: call.getPath(), ref, error: describeError(err) });
  return { code: status.INTERNAL, details: `internal error (ref ${ref})` };
}

export const NOT_MOUNTED_STATUS: Partial<StatusObject> = {
  code: status.INTERNAL,
  details: 'handler is not mounted through createGrpcServer',
};
