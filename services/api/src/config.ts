import { ConfigError } from '@wasmbed/errors';
import { z } from 'zod';

const hostPort = z
  .string()
  .regex(/^[^\s:]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:50051')
  .transform((value) => {
    const idx = value.lastIndexOf(':');
    return { host: value.slice(0, idx), port: Number(value.slice(idx + 1)) };
  })
  .refine((a) => a.port >= 0 && a.port <= 65535, 'port must be 0-65535');

const tokenEntry = z.object({
  subject: z.string().min(1),
  role: z.enum(['admin', 'operator', 'viewer']),
  tokenSha256: z.string().regex(/^[0-9a-f]{64}$/, 'must be the lowercase hex SHA-256 of the token'),
});

const schema = z.object({
  WASMBED_NATS_URL: z.string().min(1).default('nats://127.0.0.1:4222'),
  WASMBED_API_GRPC_ADDR: hostPort.prefault('127.0.0.1:50051'),
  WASMBED_API_HTTP_ADDR: hostPort.prefault('127.0.0.1:3001'),
  /** JSON array of {subject, role, tokenSha256}; only hashes, never tokens. */
  WASMBED_API_TOKENS: z
    .string({ error: 'is required: a JSON array of {subject, role, tokenSha256}' })
    .transform((raw, ctx) => {
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        ctx.addIssue({ code: 'custom', message: 'is not valid JSON' });
        return z.NEVER;
      }
    })
    .pipe(z.array(tokenEntry).min(1, 'must list at least one token')),
  WASMBED_LOG_LEVEL: z.enum(['debug', 'info', 'warn', 'error']).default('info'),
});

export type ApiConfig = {
  natsUrl: string;
  grpc: { host: string; port: number };
  http: { host: string; port: number };
  tokens: z.infer<typeof tokenEntry>[];
  logLevel: 'debug' | 'info' | 'warn' | 'error';
};

/** Reads and validates the api's configuration once, at the edge. */
export function loadApiConfig(env: NodeJS.ProcessEnv = process.env): ApiConfig {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'} ${i.message}`);
    throw new ConfigError(`invalid api configuration:\n  ${issues.join('\n  ')}`, issues);
  }
  const c = parsed.data;
  return {
    natsUrl: c.WASMBED_NATS_URL,
    grpc: c.WASMBED_API_GRPC_ADDR,
    http: c.WASMBED_API_HTTP_ADDR,
    tokens: c.WASMBED_API_TOKENS,
    logLevel: c.WASMBED_LOG_LEVEL,
  };
}
