import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '@wasmbed/grpc-kit';
import type { Caller } from '../commands/call-context';
import { CORRELATION_ID_METADATA_KEY } from '../commands/call-context';

/** What a route handler gets: the exchange, the path parameters, and who is calling. */
export interface HttpContext {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  readonly url: URL;
  readonly params: Readonly<Record<string, string>>;
  /** Set on every route that requires a role. */
  readonly principal: Principal | undefined;
  /** Aborted when the client leaves or the server closes. */
  readonly signal: AbortSignal;
}

export type HttpHandler = (ctx: HttpContext) => Promise<void>;

/** The caller of an HTTP command, as gRPC's: the token's subject and the x-correlation-id header. */
export function httpCaller(ctx: HttpContext): Caller {
  if (ctx.principal === undefined) throw new Error(`route ${ctx.url.pathname} runs a command without authentication`);
  const header = ctx.req.headers[CORRELATION_ID_METADATA_KEY];
  return { actor: ctx.principal.subject, correlationId: typeof header === 'string' ? header : undefined };
}
