import { ConfigError } from '@wasmbed/errors';
import { z } from 'zod';

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

/**
 * Parses a service's environment against its schema; on failure one ConfigError
 * lists every problem by variable, so an operator fixes them all in one go.
 */
export function parseEnvConfig<S extends z.ZodType>(schema: S, env: NodeJS.ProcessEnv, service: string): z.output<S> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(env)'} ${i.message}`);
    throw new ConfigError(`invalid ${service} configuration:\n  ${issues.join('\n  ')}`, issues);
  }
  return parsed.data;
}

/** `host:port` text (an IPv6 host in brackets, returned without them); `example` goes into the error message. */
export function hostPortSchema(example: string) {
  return z
    .string()
    .regex(/^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):\d{1,5}$/, `must be host:port, e.g. ${example}`)
    .transform((value): HostPort => {
      const idx = value.lastIndexOf(':');
      return { host: value.slice(0, idx).replace(/^\[(.*)\]$/, '$1'), port: Number(value.slice(idx + 1)) };
    })
    .refine((a) => a.port <= 65535, 'port must be 0-65535');
}

/** WASMBED_LOG_LEVEL, `info` when unset. */
export const logLevelSchema = z.enum(['debug', 'info', 'warn', 'error']).default('info');
