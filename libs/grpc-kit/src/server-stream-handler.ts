import { status, type handleServerStreamingCall, type ServerWritableStream } from '@grpc/grpc-js';
import { admitCall, failureStatus, NOT_MOUNTED_STATUS, type HandlerContext, type HandlerSpec } from './call-pipeline';
import { makeMountable, type ServerRuntime } from './server-runtime';

/** Sends one message; resolves once it is handed to the transport (backpressure). */
export type Send<Res> = (message: Res) => Promise<void>;

export interface ServerStreamHandlerSpec<Parsed, Res> extends HandlerSpec<Parsed> {
  /**
   * Streams responses through `send` and resolves when done. Long-lived
   * streams (watches) must resolve once `ctx.signal` aborts: the client left or
   * the server is shutting down. After that, `send` does nothing.
   */
  readonly handle: (request: Parsed, ctx: HandlerContext, send: Send<Res>) => Promise<void>;
}

/** The server-streaming counterpart of unaryHandler. */
export function serverStreamHandler<Req, Res, Parsed = Req>(
  spec: ServerStreamHandlerSpec<Parsed, Res>,
): handleServerStreamingCall<Req, Res> {
  const unmounted: handleServerStreamingCall<Req, Res> = (call) => {
    call.emit('error', NOT_MOUNTED_STATUS);
  };
  return makeMountable('serverStream', unmounted, (runtime) => (call) => {
    void runServerStream(call, spec, runtime);
  });
}

async function runServerStream<Req, Res, Parsed>(
  call: ServerWritableStream<Req, Res>,
  spec: ServerStreamHandlerSpec<Parsed, Res>,
  runtime: ServerRuntime,
): Promise<void> {
  try {
    const { request, ctx } = await admitCall(call, spec, runtime, runtime.shutdownSignal);
    await spec.handle(request, ctx, sender(call, ctx.signal));
  } catch (err) {
    // A client that left gets no status; the error was most likely caused by the abort.
    if (!call.cancelled) call.emit('error', failureStatus(err, call, runtime));
    return;
  }
  if (call.cancelled) return;
  if (runtime.shutdownSignal.aborted) {
    // Tells clients to reconnect (to another instance) rather than that the stream is complete.
    call.emit('error', { code: status.UNAVAILABLE, details: 'server is shutting down' });
    return;
  }
  call.end();
}

function sender<Res>(call: ServerWritableStream<unknown, Res>, signal: AbortSignal): Send<Res> {
  return (message) =>
    new Promise<void>((resolve, reject) => {
      if (signal.aborted) return resolve();
      // A cancelled call may never run the write callback; the abort releases the sender.
      const onAbort = () => resolve();
      signal.addEventListener('abort', onAbort, { once: true });
      call.write(message, (err: Error | null | undefined) => {
        signal.removeEventListener('abort', onAbort);
        if (err) reject(err);
        else resolve();
      });
    });
}
