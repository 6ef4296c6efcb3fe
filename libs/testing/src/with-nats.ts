import { startNatsServer, type NatsServerOptions, type NatsTestServer } from './nats-server';

/**
 * Jest wiring: starts one nats-server for the calling test file (beforeAll) and
 * stops it (afterAll). Returns a getter, usable inside tests and hooks.
 */
export function withNats(options: NatsServerOptions = {}): () => NatsTestServer {
  let server: NatsTestServer | undefined;
  beforeAll(async () => {
    server = await startNatsServer(options);
  }, 30_000);
  afterAll(async () => {
    await server?.stop();
    server = undefined;
  }, 30_000);
  return () => {
    if (server === undefined) throw new Error('withNats(): the server only exists inside tests and hooks');
    return server;
  };
}
