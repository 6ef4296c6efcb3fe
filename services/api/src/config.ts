import { DEFAULT_DEVICE_LOG_RETENTION, type DeviceLogRetention } from '@wasmbed/device-bus';
import { apiTokensSchema, hostPortSchema, jetStreamReplicasSchema, logLevelSchema, parseEnvConfig, type ApiToken, type HostPort, type LogLevel } from '@wasmbed/service-kit';
import { z } from 'zod';
import { readTlsFiles, type ApiTlsConfig } from './tls-files';

const hostPort = hostPortSchema('127.0.0.1:50051');

export type ApiConfig = {
  natsUrl: string;
  grpc: HostPort;
  http: HostPort;
  tokens: ApiToken[];
  logLevel: LogLevel;
  /** Lowercase hex Ed25519 keys whose manifests are admitted; empty or absent = any publisher. */
  trustedPublisherKeys?: string[];
  /** Limits of the device log stream; absent = DEFAULT_DEVICE_LOG_RETENTION. */
  deviceLogs?: DeviceLogRetention;
  /** Replicas of the streams the api creates (event logs, module store, device logs); absent = 1. */
  jetStreamReplicas?: number;
  /** gRPC and HTTP over TLS; absent = plaintext. */
  tls?: ApiTlsConfig;
};

const positiveInt = (max: number) => z.coerce.number().int().min(1).max(max);

const publisherKeys = z
  .string()
  .transform((raw) => raw.split(',').map((key) => key.trim().toLowerCase()).filter((key) => key !== ''))
  .pipe(z.array(z.string().regex(/^[0-9a-f]{64}$/, 'must be 32-byte Ed25519 public keys as 64 hex digits, separated by commas')));

const schema = z
  .object({
    WASMBED_NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
    WASMBED_API_GRPC_ADDR: hostPort.prefault('127.0.0.1:50051'),
    WASMBED_API_HTTP_ADDR: hostPort.prefault('127.0.0.1:3001'),
    /** JSON array of {subject, role, tokenSha256}; only hashes, never tokens. */
    WASMBED_API_TOKENS: apiTokensSchema({ required: true }),
    WASMBED_LOG_LEVEL: logLevelSchema,
    WASMBED_TRUSTED_PUBLISHER_KEYS: publisherKeys.prefault(''),
    WASMBED_DEVICE_LOGS_MAX_AGE_SECONDS: positiveInt(10 * 365 * 86_400).default(DEFAULT_DEVICE_LOG_RETENTION.maxAgeMs / 1000),
    WASMBED_DEVICE_LOGS_MAX_BYTES: positiveInt(Number.MAX_SAFE_INTEGER).default(DEFAULT_DEVICE_LOG_RETENTION.maxBytes),
    WASMBED_JETSTREAM_REPLICAS: jetStreamReplicasSchema,
    /** PEM file paths; certificate and key go together. */
    WASMBED_API_TLS_CERT: z.string().min(1).optional(),
    WASMBED_API_TLS_KEY: z.string().min(1).optional(),
    WASMBED_API_TLS_CLIENT_CA: z.string().min(1).optional(),
  })
  .transform((c, ctx): ApiConfig => {
    const paths = { cert: c.WASMBED_API_TLS_CERT, key: c.WASMBED_API_TLS_KEY, clientCa: c.WASMBED_API_TLS_CLIENT_CA };
    const tls = readTlsFiles(paths, (variable, message) => ctx.addIssue({ code: 'custom', path: [variable], message }));
    return {
      natsUrl: c.WASMBED_NATS_URL,
      grpc: c.WASMBED_API_GRPC_ADDR,
      http: c.WASMBED_API_HTTP_ADDR,
      tokens: c.WASMBED_API_TOKENS,
      logLevel: c.WASMBED_LOG_LEVEL,
      trustedPublisherKeys: c.WASMBED_TRUSTED_PUBLISHER_KEYS,
      deviceLogs: {
        ...DEFAULT_DEVICE_LOG_RETENTION,
        maxAgeMs: c.WASMBED_DEVICE_LOGS_MAX_AGE_SECONDS * 1000,
        maxBytes: c.WASMBED_DEVICE_LOGS_MAX_BYTES,
      },
      jetStreamReplicas: c.WASMBED_JETSTREAM_REPLICAS,
      ...(tls === undefined ? {} : { tls }),
    };
  });

/** Reads and validates the api's configuration once, at the edge. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return parseEnvConfig(schema, env, 'api');
}
