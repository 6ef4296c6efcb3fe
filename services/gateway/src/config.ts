import { NAME_PATTERN } from '@wasmbed/domain';
import { MAX_HEARTBEAT_INTERVAL_MS, MIN_HEARTBEAT_INTERVAL_MS, PENDING_HOLD_MS } from '@wasmbed/protocol';
import { apiTokensSchema, hostPortSchema, jetStreamReplicasSchema, logLevelSchema, parseEnvConfig, type ApiToken, type HostPort, type LogLevel } from '@wasmbed/service-kit';
import { z } from 'zod';

export interface GatewayConfig {
  readonly gatewayId: string;
  readonly natsUrl: string;
  /** TLS listener for devices. */
  readonly bind: HostPort;
  /** HTTP listener: probes, metrics, admin. */
  readonly http: HostPort;
  /** PEM or DER file paths. */
  readonly privateKeyPath: string;
  readonly certificatePath: string;
  /** CA bundle (PEM, or one DER certificate) vouching for device certificates; optional. */
  readonly clientCaPath?: string;
  readonly adminTokens: readonly ApiToken[];
  readonly heartbeatIntervalMs: number;
  /** An unchanged liveness record is rewritten at most this often (changes of the apps are written at once). */
  readonly livenessFlushMs: number;
  readonly helloTimeoutMs: number;
  readonly handshakeTimeoutMs: number;
  /** How long a device awaiting approval is kept connected. */
  readonly pendingHoldMs: number;
  /** Most device sessions at once. */
  readonly capacity: number;
  /** host:port devices are told to dial, recorded on the gateway aggregate. */
  readonly endpoint: string;
  readonly region: string;
  /** Unknown devices enrolling during pairing mode are admitted without an operator. */
  readonly autoApprove: boolean;
  readonly logLevel: LogLevel;
  /** Replicas of the streams and buckets the gateway creates; absent = 1. */
  readonly jetStreamReplicas?: number;
}

const hostPort = hostPortSchema('127.0.0.1:4423');

const millis = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

const booleanText = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { error: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const filePath = (what: string) => z.string({ error: `is required: path of the gateway's ${what} (PEM or DER)` }).min(1);

const schema = z.object({
  WASMBED_GATEWAY_ID: z.string().regex(NAME_PATTERN, 'must be a lowercase DNS label').default('gateway-1'),
  WASMBED_NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  WASMBED_GATEWAY_BIND_ADDR: hostPort.prefault('127.0.0.1:4423'),
  WASMBED_GATEWAY_HTTP_ADDR: hostPort.prefault('127.0.0.1:8080'),
  WASMBED_GATEWAY_PRIVATE_KEY: filePath('private key'),
  WASMBED_GATEWAY_CERTIFICATE: filePath('certificate'),
  WASMBED_GATEWAY_CLIENT_CA: z.string().min(1).optional(),
  /** Without tokens the admin endpoints answer 401 to everyone. */
  WASMBED_GATEWAY_ADMIN_TOKENS: apiTokensSchema().prefault('[]'),
  WASMBED_GATEWAY_HEARTBEAT_INTERVAL_MS: millis(MIN_HEARTBEAT_INTERVAL_MS, MAX_HEARTBEAT_INTERVAL_MS).default(30_000),
  /** Default: the heartbeat interval. */
  WASMBED_GATEWAY_LIVENESS_FLUSH_MS: millis(100, MAX_HEARTBEAT_INTERVAL_MS).optional(),
  WASMBED_GATEWAY_HELLO_TIMEOUT_MS: millis(100, 600_000).default(10_000),
  WASMBED_GATEWAY_HANDSHAKE_TIMEOUT_MS: millis(100, 600_000).default(10_000),
  WASMBED_GATEWAY_PENDING_HOLD_MS: millis(1_000, 86_400_000).default(PENDING_HOLD_MS),
  WASMBED_GATEWAY_CAPACITY: z.coerce.number().int().min(1).max(1_000_000).default(10_000),
  WASMBED_GATEWAY_ENDPOINT: z
    .string()
    .regex(/^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.-]+):\d{1,5}$/, 'must be host:port as devices dial it')
    .optional(),
  WASMBED_GATEWAY_REGION: z.string().regex(NAME_PATTERN, 'must be a lowercase DNS label').default('default'),
  WASMBED_GATEWAY_AUTO_APPROVE: booleanText.prefault('true'),
  WASMBED_LOG_LEVEL: logLevelSchema,
  WASMBED_JETSTREAM_REPLICAS: jetStreamReplicasSchema,
});

const WILDCARD_HOSTS = new Set(['0.0.0.0', '::', '']);

/** Where devices should dial when no endpoint is configured: the bind address, or localhost for a wildcard bind. */
export function defaultEndpoint(bind: HostPort): string {
  const host = WILDCARD_HOSTS.has(bind.host) ? 'localhost' : bind.host.includes(':') ? `[${bind.host}]` : bind.host;
  return `${host}:${bind.port}`;
}

/** Reads and validates the gateway's configuration once, at the edge; every problem is listed. */
export function loadGatewayConfig(env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const c = parseEnvConfig(schema, env, 'gateway');
  return {
    gatewayId: c.WASMBED_GATEWAY_ID,
    natsUrl: c.WASMBED_NATS_URL,
    bind: c.WASMBED_GATEWAY_BIND_ADDR,
    http: c.WASMBED_GATEWAY_HTTP_ADDR,
    privateKeyPath: c.WASMBED_GATEWAY_PRIVATE_KEY,
    certificatePath: c.WASMBED_GATEWAY_CERTIFICATE,
    clientCaPath: c.WASMBED_GATEWAY_CLIENT_CA,
    adminTokens: c.WASMBED_GATEWAY_ADMIN_TOKENS,
    heartbeatIntervalMs: c.WASMBED_GATEWAY_HEARTBEAT_INTERVAL_MS,
    livenessFlushMs: c.WASMBED_GATEWAY_LIVENESS_FLUSH_MS ?? c.WASMBED_GATEWAY_HEARTBEAT_INTERVAL_MS,
    helloTimeoutMs: c.WASMBED_GATEWAY_HELLO_TIMEOUT_MS,
    handshakeTimeoutMs: c.WASMBED_GATEWAY_HANDSHAKE_TIMEOUT_MS,
    pendingHoldMs: c.WASMBED_GATEWAY_PENDING_HOLD_MS,
    capacity: c.WASMBED_GATEWAY_CAPACITY,
    endpoint: c.WASMBED_GATEWAY_ENDPOINT ?? defaultEndpoint(c.WASMBED_GATEWAY_BIND_ADDR),
    region: c.WASMBED_GATEWAY_REGION,
    autoApprove: c.WASMBED_GATEWAY_AUTO_APPROVE,
    logLevel: c.WASMBED_LOG_LEVEL,
    jetStreamReplicas: c.WASMBED_JETSTREAM_REPLICAS,
  };
}
