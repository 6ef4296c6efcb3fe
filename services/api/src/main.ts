import { ConfigError } from '@wasmbed/errors';
import { startApi } from './app';
import { loadApiConfig, type ApiConfig } from './config';
import { createLogger } from './logger';

/** Process entry: configuration, startApi, and shutdown on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  let config: ApiConfig;
  try {
    config = loadApiConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const api = await startApi(config, { logger });
  const shutdown = (signal: string) => {
    logger.info('shutting down', { signal });
    api.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error('shutdown failed', { error: err });
        process.exit(1);
      },
    );
  };
  process.once('SIGTERM', () => shutdown('SIGTERM'));
  process.once('SIGINT', () => shutdown('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`api failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
