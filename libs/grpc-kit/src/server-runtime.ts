import type { UntypedHandleCall } from '@grpc/grpc-js';
import type { Authenticator } from './authenticator';
import type { Logger } from './logger';

/** What a server built by createGrpcServer hands to each of its handlers. */
export interface ServerRuntime {
  readonly authenticator: Authenticator;
  readonly logger: Logger;
  /** Aborted when the server starts shutting down. */
  readonly shutdownSignal: AbortSignal;
}

export type HandlerKind = 'unary' | 'serverStream';

const MOUNT = Symbol('wasmbed.grpc-kit.mount');

interface Mountable {
  readonly [MOUNT]: { kind: HandlerKind; mount: (runtime: ServerRuntime) => UntypedHandleCall };
}

/**
 * Handlers get their authenticator and logger from the server they are
 * mounted on. The function itself is what runs when a handler is registered on
 * a plain grpc.Server: it must refuse the call (fail closed), never skip auth.
 */
export function makeMountable<H extends UntypedHandleCall>(kind: HandlerKind, unmounted: H, mount: (runtime: ServerRuntime) => H): H {
  return Object.assign(unmounted, { [MOUNT]: { kind, mount } });
}

/** The mounted handler, or undefined if `handler` was not made by grpc-kit. */
export function mountHandler(handler: unknown, runtime: ServerRuntime): { kind: HandlerKind; handle: UntypedHandleCall } | undefined {
  if (typeof handler !== 'function' || !(MOUNT in handler)) return undefined;
  const { kind, mount } = (handler as unknown as Mountable)[MOUNT];
  return { kind, handle: mount(runtime) };
}
