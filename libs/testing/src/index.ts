export { freePort } from './free-port';
export { startNatsServer } from './nats-server';
export type { NatsServerOptions, NatsTestServer } from './nats-server';
export { withNats } from './with-nats';
export { NatsServerNotFoundError, NatsServerStartError, ServiceStartError } from './errors';
export { ProcessOutput, startServiceProcess, waitForPort } from './service-process';
export type { ServiceProcess, ServiceProcessSpec } from './service-process';
export { call, signedApplicationSpec } from './signed-spec';
export type { SignedSpecOptions } from './signed-spec';
