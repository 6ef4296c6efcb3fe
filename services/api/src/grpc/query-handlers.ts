import type { handleServerStreamingCall, handleUnaryCall } from '@grpc/grpc-js';
import { serverStreamHandler, unaryHandler } from '@wasmbed/grpc-kit';
import type { ChangeKind } from '@wasmbed/proto';
import type { DocumentFilter, PageRequest } from '../queries/collection-pages';
import type { ResourceReader } from '../queries/resource-reader';
import { CHANGE_KIND } from '../views/change-kind';
import { checked, resourceName } from './request-schemas';

/** Queries need the viewer role (or above). */
const ROLE = 'viewer';

export function getHandler<Req extends { name: string }, D, M, Res>(
  reader: ResourceReader<D, M>,
  respond: (message: M) => Res,
): handleUnaryCall<Req, Res> {
  return unaryHandler<Req, Res, Req>({
    role: ROLE,
    schema: checked<Req>({ name: resourceName }),
    handle: async (request) => respond(await reader.get(request.name)),
  });
}

export function listHandler<Query, D, M, Res>(
  reader: ResourceReader<D, M>,
  filterOf: (query: Query) => DocumentFilter<D>,
  respond: (items: M[], nextPageToken: string) => Res,
): handleUnaryCall<Query & PageRequest, Res> {
  return unaryHandler<Query & PageRequest, Res, Query & PageRequest>({
    role: ROLE,
    schema: checked<Query & PageRequest>(),
    async handle(request) {
      const page = await reader.list(filterOf(request), request);
      return respond(page.items, page.nextPageToken);
    },
  });
}

/** The current matching resources as ADDED, then live changes until the client cancels. */
export function watchHandler<Req, D, M, Change>(
  reader: ResourceReader<D, M>,
  filterOf: (request: Req) => DocumentFilter<D>,
  change: (kind: ChangeKind, message: M, position: number) => Change,
): handleServerStreamingCall<Req, Change> {
  return serverStreamHandler<Req, Change, Req>({
    role: ROLE,
    schema: checked<Req>(),
    handle: (request, ctx, send) =>
      reader.watch(filterOf(request), ctx.signal, (kind, message, position) => send(change(CHANGE_KIND[kind], message, position))),
  });
}
