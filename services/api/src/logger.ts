import type { Logger as ReadModelLogger } from '@wasmbed/read-models';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

/** Same shape as grpc-kit's logger, plus debug. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

const ORDER: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

function errorFields(_key: string, value: unknown): unknown {
  return value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
}

/** JSON lines on stderr, dropping entries below `level`. */
export function createLogger(level: LogLevel, write: (line: string) => void = (line) => process.stderr.write(line)): Logger {
  const min = ORDER.indexOf(level);
  const log = (at: LogLevel) => (message: string, fields?: LogFields) => {
    if (ORDER.indexOf(at) < min) return;
    write(`${JSON.stringify({ time: new Date().toISOString(), level: at, service: 'api', msg: message, ...fields }, errorFields)}\n`);
  };
  return { debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error') };
}

/** @wasmbed/read-models logs (fields, message). */
export function forReadModels(logger: Logger): ReadModelLogger {
  return {
    info: (fields, message) => logger.info(message, { ...fields }),
    warn: (fields, message) => logger.warn(message, { ...fields }),
    error: (fields, message) => logger.error(message, { ...fields }),
  };
}
