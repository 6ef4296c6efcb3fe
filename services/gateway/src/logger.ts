import { createJsonLogger, type LogLevel, type Logger } from '@wasmbed/service-kit';

export type { Logger };

/** JSON lines on stderr tagged service=gateway, dropping entries below `level`. */
export function createLogger(level: LogLevel, sink?: (line: string) => void): Logger {
  return createJsonLogger('gateway', level, sink);
}

/** Drops everything (tests that do not look at logs). */
export const silentLogger: Logger = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
