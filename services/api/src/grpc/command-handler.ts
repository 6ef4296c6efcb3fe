import type { handleUnaryCall } from '@grpc/grpc-js';
import type { Command, CommandMetadata } from '@wasmbed/domain';
import type { DomainEvent } from '@wasmbed/event-log';
import { unaryHandler, type Role } from '@wasmbed/grpc-kit';
import type { z } from 'zod';
import { callContextOf, grpcCaller } from '../commands/call-context';
import type { CommandOutcome, CommandRunner, CommandTarget } from '../commands/command-runner';
import type { Operation } from '../commands/operation';

/** The two fields every command request starts with, plus the aggregate's name. */
export interface CommandRequest {
  readonly commandId: string;
  readonly expectedVersion: number;
  readonly name: string;
}

export interface CommandHandlerSpec<Req extends CommandRequest, C extends Command, E extends DomainEvent, S, Res> {
  readonly role: Role;
  readonly schema: z.ZodType<Req>;
  readonly target: CommandTarget<C, E, S>;
  readonly build: (request: Req, metadata: CommandMetadata) => C;
  /** Default: the new version only. */
  readonly respond?: (outcome: CommandOutcome<E, S>, request: Req) => Res;
  /** Request field names for domain fields named differently (see requestFieldOf). */
  readonly fieldRenames?: Readonly<Record<string, string>>;
  /** Read-model checks the domain cannot make (e.g. that a referenced gateway exists). */
  readonly precheck?: (request: Req) => Promise<void>;
}

/** One command per call against the aggregate named by the request. */
export function commandOperation<Req extends CommandRequest, C extends Command, E extends DomainEvent, S, Res = { version: number }>(
  commands: CommandRunner,
  spec: CommandHandlerSpec<Req, C, E, S, Res>,
): Operation<Req, Res> {
  const respond = spec.respond ?? ((outcome: CommandOutcome<E, S>) => ({ version: outcome.version }) as Res);
  return {
    role: spec.role,
    schema: spec.schema,
    async run(request, caller) {
      await spec.precheck?.(request);
      const outcome = await commands.run(spec.target, request.name, callContextOf(request.commandId, caller), (metadata) => spec.build(request, metadata), {
        expectedVersion: request.expectedVersion,
        fieldRenames: spec.fieldRenames,
      });
      return respond(outcome, request);
    },
  };
}

/** A unary gRPC method running an operation as the calling principal. */
export function operationHandler<Wire, Req, Res>(operation: Operation<Req, Res>): handleUnaryCall<Wire, Res> {
  return unaryHandler<Wire, Res, Req>({
    role: operation.role,
    schema: operation.schema,
    handle: (request, ctx) => operation.run(request, grpcCaller(ctx.principal.subject, ctx.metadata)),
  });
}

export function commandHandler<Wire, Req extends CommandRequest, C extends Command, E extends DomainEvent, S, Res = { version: number }>(
  commands: CommandRunner,
  spec: CommandHandlerSpec<Req, C, E, S, Res>,
): handleUnaryCall<Wire, Res> {
  return operationHandler(commandOperation(commands, spec));
}
