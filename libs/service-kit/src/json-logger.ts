import type { Logger as KitLogger, LogFields } from '@wasmbed/grpc-kit';
import type { LogLevel } from './env-config';

/** grpc-kit's logger shape plus debug. Never put keys, tokens or module bytes in fields. */
export interface Logger extends KitLogger {
  debug(message: string, fields?: LogFields): void;
}

const RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

// Error objects serialise to {}: give them their name and message.
const withErrors = (_key: string, value: unknown): unknown =>
  value instanceof Error ? { name: value.name, message: value.message, ...(value.stack ? { stack: value.stack } : {}) } : value;

/** JSON lines (on stderr unless `sink` is given) tagged with the service, dropping entries below `level`. */
export function createJsonLogger(service: string, level: LogLevel, sink: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const at = (entryLevel: LogLevel) => (message: string, fields: LogFields = {}) => {
    if (RANK[entryLevel] < RANK[level]) return;
    const entry = { time: new Date().toISOString(), level: entryLevel, service, msg: message, ...fields };
    sink(`${JSON.stringify(entry, withErrors)}\n`);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
