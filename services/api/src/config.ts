import { apiTokensSchema, hostPortSchema, logLevelSchema, parseEnvConfig, type ApiToken, type HostPort, type LogLevel } from '@wasmbed/service-kit';
import { z } from 'zod';

const hostPort = hostPortSchema('127.0.0.1:50051');

export type ApiConfig = {
  natsUrl: string;
  grpc: HostPort;
  http: HostPort;
  tokens: ApiToken[];
  logLevel: LogLevel;
};

const schema = z
  .object({
    WASMBED_NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
    WASMBED_API_GRPC_ADDR: hostPort.prefault('127.0.0.1:50051'),
    WASMBED_API_HTTP_ADDR: hostPort.prefault('127.0.0.1:3001'),
    /** JSON array of {subject, role, tokenSha256}; only hashes, never tokens. */
    WASMBED_API_TOKENS: apiTokensSchema({ required: true }),
    WASMBED_LOG_LEVEL: logLevelSchema,
  })
  .transform(
    (c): ApiConfig => ({
      natsUrl: c.WASMBED_NATS_URL,
      grpc: c.WASMBED_API_GRPC_ADDR,
      http: c.WASMBED_API_HTTP_ADDR,
      tokens: c.WASMBED_API_TOKENS,
      logLevel: c.WASMBED_LOG_LEVEL,
    }),
  );

/** Reads and validates the api's configuration once, at the edge. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  return parseEnvConfig(schema, env, 'api');
}
