import { ConfigError } from '@wasmbed/errors';
import type { LogFields } from '@wasmbed/grpc-kit';

export interface RunningService {
  /** Graceful stop; the process exits 0 once it resolves, 1 if it rejects. */
  stop(): Promise<void>;
}

export interface ServiceSpec<C, L extends ServiceLogger> {
  /** Prefixes the start failure written to stderr. */
  readonly name: string;
  /** Throws ConfigError on bad configuration. */
  loadConfig(): C;
  createLogger(config: C): L;
  start(config: C, logger: L): Promise<RunningService>;
}

export interface ServiceLogger {
  info(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** The part of Node's `process` a service entry point uses; tests hand in their own. */
export interface ServiceProcess {
  exit(code: number): void;
  once(signal: 'SIGTERM' | 'SIGINT', listener: () => void): unknown;
  readonly stderr: { write(text: string): unknown };
}

/**
 * A service's process entry: load the configuration, start, and stop gracefully on
 * SIGTERM/SIGINT. Exit codes: 2 for a ConfigError (while loading the configuration or
 * starting), 1 for any other start or stop failure, 0 after a clean stop.
 */
export async function runService<C, L extends ServiceLogger>(spec: ServiceSpec<C, L>, proc: ServiceProcess = process): Promise<void> {
  try {
    await startService(spec, proc);
  } catch (err) {
    proc.stderr.write(`${spec.name} failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    proc.exit(1);
  }
}

async function startService<C, L extends ServiceLogger>(spec: ServiceSpec<C, L>, proc: ServiceProcess): Promise<void> {
  // Configuration problems are the operator's to fix: the message alone, no stack.
  const exitOnConfigError = (err: unknown): void => {
    if (!(err instanceof ConfigError)) throw err;
    proc.stderr.write(`${err.message}\n`);
    proc.exit(2);
  };
  let config: C;
  try {
    config = spec.loadConfig();
  } catch (err) {
    return exitOnConfigError(err);
  }
  const logger = spec.createLogger(config);
  let running: RunningService;
  try {
    running = await spec.start(config, logger);
  } catch (err) {
    return exitOnConfigError(err);
  }
  const shutdown = (signal: string) => {
    logger.info('shutting down', { signal });
    running.stop().then(
      () => proc.exit(0),
      (err: unknown) => {
        logger.error('shutdown failed', { error: err });
        proc.exit(1);
      },
    );
  };
  proc.once('SIGTERM', () => shutdown('SIGTERM'));
  proc.once('SIGINT', () => shutdown('SIGINT'));
}
