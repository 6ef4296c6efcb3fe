export { freePort } from './free-port';
export { startNatsServer } from './nats-server';
export type { NatsServerOptions, NatsTestServer } from './nats-server';
export { withNats } from './with-nats';
export { NatsServerNotFoundError, NatsServerStartError } from './errors';
