import { JetStreamApiCodes, JetStreamApiError, jetstreamManager, type JetStreamManager, type StreamInfo } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { WasmbedError } from '@wasmbed/errors';
import { z } from 'zod';
import type { Logger } from './json-logger';

/**
 * WASMBED_JETSTREAM_REPLICAS: the replicas of every stream and bucket a service
 * creates, and the least it keeps on existing ones (see replicaTarget). 1 when
 * unset; 5 is JetStream's limit. Text like "3.0" or " 3" is refused rather than guessed at.
 */
export const jetStreamReplicasSchema = z
  .string()
  .regex(/^[1-5]$/, 'must be an integer from 1 to 5: the replicas of each JetStream stream, at most the number of NATS servers')
  .transform(Number)
  .prefault('1');

export type ReplicaLogger = Pick<Logger, 'info' | 'warn'>;

/** A stream's replicas could not be read or changed. */
export class StreamReplicasError extends WasmbedError {
  readonly code = 'unavailable' as const;
  constructor(stream: string, operation: 'read' | 'raise', cause: unknown) {
    super(`cannot ${operation} the replicas of JetStream stream ${stream}: ${cause instanceof Error ? cause.message : String(cause)}`, { stream }, { cause });
  }
}

export interface ReplicaTarget {
  /** The stream as it is; undefined when it does not exist yet. */
  readonly info: StreamInfo | undefined;
  /** What it should have: the setting, or its current count when that is higher. */
  readonly replicas: number;
}

/**
 * Services share WASMBED_JETSTREAM_REPLICAS but start in any order, and one
 * started with a stale or mistyped value must not shrink the cluster's streams:
 * a stream is raised to the setting, never lowered below what it has (a warning
 * says so; lowering is an operator's `nats stream edit`). A server outside a
 * cluster accepts an update to more replicas than it can keep: there existing
 * streams are not raised (a warning says so; creating one fails plainly).
 */
export async function replicaTarget(nc: NatsConnection, jsm: JetStreamManager, stream: string, setting: number, logger: ReplicaLogger): Promise<ReplicaTarget> {
  let info: StreamInfo | undefined;
  try {
    info = await jsm.streams.info(stream);
  } catch (err) {
    if (!(err instanceof JetStreamApiError && err.code === JetStreamApiCodes.StreamNotFound)) throw new StreamReplicasError(stream, 'read', err);
  }
  const current = info?.config.num_replicas;
  if (current !== undefined && current > setting) {
    logger.warn('JetStream stream has more replicas than WASMBED_JETSTREAM_REPLICAS: kept, services never lower them', { stream, replicas: current, setting });
    return { info, replicas: current };
  }
  if (current !== undefined && current < setting && nc.info?.cluster === undefined) {
    logger.warn('JetStream stream not raised to WASMBED_JETSTREAM_REPLICAS: the NATS server is not part of a cluster', { stream, replicas: current, setting });
    return { info, replicas: current };
  }
  return { info, replicas: setting };
}

/**
 * Applies the replica rule of replicaTarget to streams that already exist
 * (KV buckets are streams `KV_<bucket>`, object stores `OBJ_<bucket>`): those
 * below `replicas` are raised to it. Missing streams are left to whoever creates
 * them, with the same setting.
 */
export async function ensureStreamReplicas(nc: NatsConnection, streams: readonly string[], replicas: number, logger: ReplicaLogger): Promise<void> {
  const jsm = await jetstreamManager(nc);
  for (const stream of streams) {
    const target = await replicaTarget(nc, jsm, stream, replicas, logger);
    const current = target.info?.config.num_replicas;
    if (current === undefined || current >= target.replicas) continue;
    try {
      await jsm.streams.update(stream, { num_replicas: target.replicas });
    } catch (err) {
      throw new StreamReplicasError(stream, 'raise', err);
    }
    logger.info('JetStream stream replicas raised', { stream, from: current, to: target.replicas });
  }
}
