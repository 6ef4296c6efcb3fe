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

export const CORRELATION_ID_METADATA_KEY = 'x-correlation-id';

export function callContextOf(commandId: string, actor: string, metadata: Metadata, now: Date = new Date()): CallContext {
  const id = commandId === '' ? randomUUID() : commandId;
  const [correlation] = metadata.get(CORRELATION_ID_METADATA_KEY);
  return {
    commandId: id,
    correlationId: typeof correlation === 'string' && correlation !== '' ? correlation : id,
    actor,
    now: now.toISOString(),
  };
}
