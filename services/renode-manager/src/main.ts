import { createJsonLogger, runService } from '@wasmbed/service-kit';
import { startRenodeManager } from './app';
import { loadRenodeManagerConfig } from './config';

// Process entry: configuration, startRenodeManager, and a graceful stop on SIGTERM/SIGINT.
void runService({
  name: 'renode-manager',
  loadConfig: () => loadRenodeManagerConfig(),
  createLogger: (config) => createJsonLogger('renode-manager', config.logLevel),
  start: (config, logger) => startRenodeManager(config, { logger }),
});
