import type { handleUnaryCall, sendUnaryData, ServerUnaryCall } from '@grpc/grpc-js';
import { admitCall, failureStatus, NOT_MOUNTED_STATUS, type HandlerContext, type HandlerSpec } from './call-pipeline';
import { makeMountable, type ServerRuntime } from './server-runtime';

export interface UnaryHandlerSpec<Parsed, Res> extends HandlerSpec<Parsed> {
  readonly handle: (request: Parsed, ctx: HandlerContext) => Promise<Res>;
}

/**
 * A unary method implementation that authenticates the caller, checks its
 * role, validates the request and maps thrown errors to gRPC statuses.
 * Mount it through createGrpcServer.
 */
export function unaryHandler<Req, Res, Parsed = Req>(spec: UnaryHandlerSpec<Parsed, Res>): handleUnaryCall<Req, Res> {
  const unmounted: handleUnaryCall<Req, Res> = (_call, callback) => callback(NOT_MOUNTED_STATUS);
  return makeMountable('unary', unmounted, (runtime) => (call, callback) => {
    void runUnary(call, callback, spec, runtime);
  });
}

async function runUnary<Req, Res, Parsed>(
  call: ServerUnaryCall<Req, Res>,
  callback: sendUnaryData<Res>,
  spec: UnaryHandlerSpec<Parsed, Res>,
  runtime: ServerRuntime,
): Promise<void> {
  let response: Res;
  try {
    const { request, ctx } = await admitCall(call, spec, runtime);
    response = await spec.handle(request, ctx);
  } catch (err) {
    callback(failureStatus(err, call, runtime));
    return;
  }
  callback(null, response);
}
