import type { Logger as ReadModelLogger } from '@wasmbed/read-models';
import { createJsonLogger, type LogLevel, type Logger } from '@wasmbed/service-kit';

export type { Logger, LogLevel };

/** JSON lines on stderr tagged service=api, dropping entries below `level`. */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  return createJsonLogger('api', level, write);
}

/** @wasmbed/read-models logs (fields, message). */
export function forReadModels(logger: Logger): ReadModelLogger {
  return {
    info: (fields, message) => logger.info(message, { ...fields }),
    warn: (fields, message) => logger.warn(message, { ...fields }),
    error: (fields, message) => logger.error(message, { ...fields }),
  };
}
