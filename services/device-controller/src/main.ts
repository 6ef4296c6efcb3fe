import { createJsonLogger, runService } from '@wasmbed/service-kit';
import { startDeviceController } from './app';
import { loadDeviceControllerConfig } from './config';

// Process entry: configuration, startDeviceController, and a graceful stop on SIGTERM/SIGINT.
void runService({
  name: 'device-controller',
  loadConfig: () => loadDeviceControllerConfig(),
  createLogger: (config) => createJsonLogger('device-controller', config.logLevel),
  start: (config, logger) => startDeviceController(config, { logger }),
});
