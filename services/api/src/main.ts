import { runService } from '@wasmbed/service-kit';
import { startApi } from './app';
import { loadApiConfig } from './config';
import { createLogger } from './logger';

// Process entry: configuration, startApi, and shutdown on SIGTERM/SIGINT.
void runService({
  name: 'api',
  loadConfig: () => loadApiConfig(),
  createLogger: (config) => createLogger(config.logLevel),
  start: (config, logger) => startApi(config, { logger }),
});
