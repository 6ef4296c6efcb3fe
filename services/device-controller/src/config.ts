import { MAX_HEARTBEAT_INTERVAL_MS, MIN_HEARTBEAT_INTERVAL_MS } from '@wasmbed/protocol';
import { hostPortSchema, jetStreamReplicasSchema, logLevelSchema, parseEnvConfig, type HostPort, type LogLevel } from '@wasmbed/service-kit';
import { z } from 'zod';

export interface DeviceControllerConfig {
  readonly natsUrl: string;
  /** Probes, metrics and /status. */
  readonly http: HostPort;
  /** Must match the gateways' (WASMBED_GATEWAY_HEARTBEAT_INTERVAL_MS): it sets how old a liveness record may get. */
  readonly heartbeatIntervalMs: number;
  /** Heartbeats a gateway lets pass before it gives up on a device (the protocol's 3). */
  readonly missedHeartbeats: number;
  /** Pause between two reconcile passes. */
  readonly reconcileMs: number;
  /** Enrollment requests older than this are rejected; null: never. */
  readonly enrollmentTtlMs: number | null;
  /** Boards (as devices report them) whose pending enrollments are approved without an operator; empty: off. */
  readonly autoApproveBoards: readonly string[];
  /** A device still misplaced this long after a move is sent again (the delay doubles per attempt, up to 10 min). */
  readonly moveRetryMs: number;
  /** Moves sent per reconcile pass at most. */
  readonly movesPerPass: number;
  readonly logLevel: LogLevel;
  /** Replicas of the streams and buckets the controller creates; absent = 1. */
  readonly jetStreamReplicas?: number;
}

/**
 * How long a device's liveness may stay silent before the controller calls it
 * unreachable: the gateway's own deadline (interval × missed) plus one interval,
 * because a gateway rewrites an unchanged record at most once per interval.
 */
export function unreachableAfterMs(config: Pick<DeviceControllerConfig, 'heartbeatIntervalMs' | 'missedHeartbeats'>): number {
  return config.heartbeatIntervalMs * (config.missedHeartbeats + 1);
}

const DAY_MS = 86_400_000;

const boardList = z
  .string()
  .transform((text) => text.split(',').map((board) => board.trim()).filter((board) => board.length > 0))
  .refine((boards) => boards.every((board) => board.length <= 128 && /^[\x21-\x7e]+$/.test(board)), {
    message: 'must be a comma-separated list of board names (printable, no spaces, at most 128 characters each)',
  });

const schema = z.object({
  WASMBED_NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  WASMBED_DEVICE_CONTROLLER_HTTP_ADDR: hostPortSchema('127.0.0.1:8092').prefault('127.0.0.1:8092'),
  WASMBED_HEARTBEAT_INTERVAL_MS: z.coerce.number().int().min(MIN_HEARTBEAT_INTERVAL_MS).max(MAX_HEARTBEAT_INTERVAL_MS).default(30_000),
  WASMBED_MISSED_HEARTBEATS: z.coerce.number().int().min(1).max(100).default(3),
  WASMBED_DEVICE_CONTROLLER_RECONCILE_MS: z.coerce.number().int().min(50).max(600_000).default(1_000),
  /** 0 turns expiry off. */
  WASMBED_ENROLLMENT_TTL_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(365 * DAY_MS)
    .refine((ms) => ms === 0 || ms >= 60_000, 'must be 0 (never expire) or at least 60000 (one minute)')
    .default(DAY_MS),
  WASMBED_DEVICE_AUTO_APPROVE_BOARDS: boardList.prefault(''),
  WASMBED_DEVICE_MOVE_RETRY_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  WASMBED_DEVICE_MOVES_PER_PASS: z.coerce.number().int().min(1).max(100_000).default(100),
  WASMBED_LOG_LEVEL: logLevelSchema,
  WASMBED_JETSTREAM_REPLICAS: jetStreamReplicasSchema,
});

/** Reads and validates the controller's configuration once, at the edge; every problem is listed. */
export function loadDeviceControllerConfig(env: NodeJS.ProcessEnv = process.env): DeviceControllerConfig {
  const c = parseEnvConfig(schema, env, 'device-controller');
  return {
    natsUrl: c.WASMBED_NATS_URL,
    http: c.WASMBED_DEVICE_CONTROLLER_HTTP_ADDR,
    heartbeatIntervalMs: c.WASMBED_HEARTBEAT_INTERVAL_MS,
    missedHeartbeats: c.WASMBED_MISSED_HEARTBEATS,
    reconcileMs: c.WASMBED_DEVICE_CONTROLLER_RECONCILE_MS,
    enrollmentTtlMs: c.WASMBED_ENROLLMENT_TTL_MS === 0 ? null : c.WASMBED_ENROLLMENT_TTL_MS,
    autoApproveBoards: [...new Set(c.WASMBED_DEVICE_AUTO_APPROVE_BOARDS)].sort(),
    moveRetryMs: c.WASMBED_DEVICE_MOVE_RETRY_MS,
    movesPerPass: c.WASMBED_DEVICE_MOVES_PER_PASS,
    logLevel: c.WASMBED_LOG_LEVEL,
    jetStreamReplicas: c.WASMBED_JETSTREAM_REPLICAS,
  };
}
