import { createJsonLogger, runService } from '@wasmbed/service-kit';
import { startAppController } from './app';
import { loadAppControllerConfig } from './config';

// Process entry: configuration, startAppController, and a graceful stop on SIGTERM/SIGINT.
void runService({
  name: 'app-controller',
  loadConfig: () => loadAppControllerConfig(),
  createLogger: (config) => createJsonLogger('app-controller', config.logLevel),
  start: (config, logger) => startAppController(config, { logger }),
});
