import { runService } from '@wasmbed/service-kit';
import { startGateway } from './app';
import { loadGatewayConfig } from './config';
import { createLogger } from './logger';

// Process entry: configuration, startGateway, and a graceful stop on SIGTERM/SIGINT.
void runService({
  name: 'gateway',
  loadConfig: () => loadGatewayConfig(),
  createLogger: (config) => createLogger(config.logLevel),
  start: (config, logger) => startGateway(config, { logger }),
});
