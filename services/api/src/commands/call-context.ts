import { randomUUID } from 'node:crypto';
import type { Metadata } from '@grpc/grpc-js';

/** Who asked, when and under which ids: fixed once at the edge for a whole command. */
export interface CallContext {
  readonly commandId: string;
  readonly correlationId: string;
  readonly actor: string;
  /** ISO-8601; the domain has no clock, so the edge's is the decision time. */
  readonly now: string;
}

/** The caller of a command, whatever the transport. */
export interface Caller {
  /** The token's subject, recorded as the events' actor. */
  readonly actor: string;
  /** The client's x-correlation-id, if it sent one. */
  readonly correlationId?: string;
}

export const CORRELATION_ID_METADATA_KEY = 'x-correlation-id';

/** The caller of a gRPC call: its principal and its x-correlation-id metadata entry. */
export function grpcCaller(subject: string, metadata: Metadata): Caller {
  const [correlation] = metadata.get(CORRELATION_ID_METADATA_KEY);
  return { actor: subject, correlationId: typeof correlation === 'string' ? correlation : undefined };
}

export function callContextOf(commandId: string, caller: Caller, now: Date = new Date()): CallContext {
  const id = commandId === '' ? randomUUID() : commandId;
  const correlation = caller.correlationId;
  return {
    commandId: id,
    correlationId: correlation !== undefined && correlation !== '' ? correlation : id,
    actor: caller.actor,
    now: now.toISOString(),
  };
}
