import { createJsonLogger, runService } from '@wasmbed/service-kit';
import { startK8sSync } from './app';
import { loadK8sSyncConfig } from './config';

// Process entry: configuration, startK8sSync, and a graceful stop on SIGTERM/SIGINT.
void runService({
  name: 'k8s-sync',
  loadConfig: () => loadK8sSyncConfig(),
  createLogger: (config) => createJsonLogger('k8s-sync', config.logLevel),
  start: (config, logger) => startK8sSync(config, { logger }),
});
