import { hostPortSchema, jetStreamReplicasSchema, logLevelSchema, parseEnvConfig, type HostPort, type LogLevel } from '@wasmbed/service-kit';
import { z } from 'zod';
import type { PlannerSettings } from './planner/settings';

export interface AppControllerConfig {
  readonly natsUrl: string;
  /** HTTP listener: probes and metrics. */
  readonly http: HostPort;
  /** How often the control loop runs without a change (time-driven rules: back-offs, gates, timeouts). */
  readonly reconcileMs: number;
  /** How long a device command waits for the gateway's reply. */
  readonly commandTimeoutMs: number;
  readonly planner: PlannerSettings;
  readonly logLevel: LogLevel;
  /** Replicas of the streams and buckets the controller creates; absent = 1. */
  readonly jetStreamReplicas?: number;
}

// The custom message is for text that is no number at all; range problems keep zod's wording (with the bound).
const millis = (min: number, max: number) =>
  z.coerce
    .number({ error: (issue) => (issue.code === 'invalid_type' ? 'must be a number of milliseconds' : undefined) })
    .int()
    .min(min)
    .max(max);
const DAY_MS = 86_400_000;

const schema = z
  .object({
    WASMBED_NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
    WASMBED_APP_CONTROLLER_HTTP_ADDR: hostPortSchema('127.0.0.1:8091').prefault('127.0.0.1:8091'),
    WASMBED_APP_CONTROLLER_DEPLOY_TIMEOUT_MS: millis(1_000, DAY_MS).default(120_000),
    WASMBED_APP_CONTROLLER_DELETE_TIMEOUT_MS: millis(1_000, DAY_MS).default(120_000),
    WASMBED_APP_CONTROLLER_RECONCILE_MS: millis(50, 60_000).default(1_000),
    WASMBED_APP_CONTROLLER_RETRY_INITIAL_MS: millis(100, 600_000).default(2_000),
    WASMBED_APP_CONTROLLER_RETRY_MAX_MS: millis(100, 3_600_000).default(60_000),
    WASMBED_APP_CONTROLLER_DRIFT_GRACE_MS: millis(0, 600_000).default(2_000),
    WASMBED_APP_CONTROLLER_COMMAND_TIMEOUT_MS: millis(100, 120_000).default(10_000),
    WASMBED_LOG_LEVEL: logLevelSchema,
    WASMBED_JETSTREAM_REPLICAS: jetStreamReplicasSchema,
  })
  .refine((c) => c.WASMBED_APP_CONTROLLER_RETRY_MAX_MS >= c.WASMBED_APP_CONTROLLER_RETRY_INITIAL_MS, {
    path: ['WASMBED_APP_CONTROLLER_RETRY_MAX_MS'],
    message: 'must be at least WASMBED_APP_CONTROLLER_RETRY_INITIAL_MS',
  });

/** Reads and validates the configuration once, at the edge; every problem is listed (ConfigError, exit 2). */
export function loadAppControllerConfig(env: NodeJS.ProcessEnv = process.env): AppControllerConfig {
  const c = parseEnvConfig(schema, env, 'app-controller');
  return {
    natsUrl: c.WASMBED_NATS_URL,
    http: c.WASMBED_APP_CONTROLLER_HTTP_ADDR,
    reconcileMs: c.WASMBED_APP_CONTROLLER_RECONCILE_MS,
    commandTimeoutMs: c.WASMBED_APP_CONTROLLER_COMMAND_TIMEOUT_MS,
    planner: {
      deployTimeoutMs: c.WASMBED_APP_CONTROLLER_DEPLOY_TIMEOUT_MS,
      deleteTimeoutMs: c.WASMBED_APP_CONTROLLER_DELETE_TIMEOUT_MS,
      retry: { initialMs: c.WASMBED_APP_CONTROLLER_RETRY_INITIAL_MS, maxMs: c.WASMBED_APP_CONTROLLER_RETRY_MAX_MS },
      driftGraceMs: c.WASMBED_APP_CONTROLLER_DRIFT_GRACE_MS,
    },
    logLevel: c.WASMBED_LOG_LEVEL,
    jetStreamReplicas: c.WASMBED_JETSTREAM_REPLICAS,
  };
}
