import type { Role } from '@wasmbed/grpc-kit';
import type { z } from 'zod';
import type { Caller } from './call-context';

/**
 * One thing the api does, independent of the transport: the role it needs,
 * the edge checks of its request (field names as in the .proto), and the work.
 * gRPC methods and HTTP routes are thin adapters over the same operation.
 */
export interface Operation<Req, Res> {
  readonly role: Role;
  readonly schema: z.ZodType<Req>;
  run(request: Req, caller: Caller): Promise<Res>;
}
