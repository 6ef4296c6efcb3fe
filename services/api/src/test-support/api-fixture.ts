// Test-only: a real nats-server and the real api in-process, per test file.
import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { JetStreamEventStore } from '@wasmbed/event-log';
import { createClient, hashToken } from '@wasmbed/grpc-kit';
import { openDomainEventStore } from '@wasmbed/service-kit';
import { startNatsServer, type NatsTestServer } from '@wasmbed/testing';
import { startApi, type RunningApi, type StartApiOptions } from '../app';
import type { ApiConfig } from '../config';
import { createLogger } from '../logger';

export const TOKENS = { admin: 'it-admin-token', operator: 'it-operator-token', viewer: 'it-viewer-token' };
export type TokenRole = keyof typeof TOKENS;

export interface ApiFixture {
  readonly nats: NatsTestServer;
  readonly api: RunningApi;
  /** host:port of the gRPC listener. */
  readonly address: string;
  /** http://host:port of the HTTP listener. */
  readonly httpBase: string;
  /** The test's own connection and event store, e.g. to act as a gateway would. */
  readonly nc: NatsConnection;
  readonly eventStore: JetStreamEventStore;
  /** A generated gRPC client calling with the token of `role` (none: anonymous); closed after the file. */
  client<C extends { close(): void }>(ctor: new (...args: never[]) => C, role?: TokenRole): C;
}

export function apiConfig(natsUrl: string, overrides: Partial<ApiConfig> = {}): ApiConfig {
  return {
    natsUrl,
    grpc: { host: '127.0.0.1', port: 0 },
    http: { host: '127.0.0.1', port: 0 },
    tokens: Object.entries(TOKENS).map(([role, token]) => ({ subject: `${role}-it`, role: role as TokenRole, tokenSha256: hashToken(token) })),
    logLevel: 'error',
    ...overrides,
  };
}

/** beforeAll starts nats-server and the api (with `overrides`); afterAll stops everything. */
export function withApi(overrides: Partial<ApiConfig> = {}, options: StartApiOptions = {}): () => ApiFixture {
  let fixture: ApiFixture | undefined;
  const clients: { close(): void }[] = [];
  let nats: NatsTestServer | undefined;
  let api: RunningApi | undefined;
  let nc: NatsConnection | undefined;
  let eventStore: JetStreamEventStore | undefined;

  beforeAll(async () => {
    nats = await startNatsServer();
    api = await startApi(apiConfig(nats.url, overrides), { logger: createLogger('error', () => undefined), heartbeatMs: 100, ...options });
    nc = await connect({ servers: nats.url });
    eventStore = await openDomainEventStore(nc);
    const address = `127.0.0.1:${api.grpcPort}`;
    fixture = {
      nats,
      api,
      address,
      httpBase: `http://127.0.0.1:${api.httpPort}`,
      nc,
      eventStore,
      client(ctor, role) {
        const c = createClient(ctor as never, address, role === undefined ? {} : { token: TOKENS[role] }) as InstanceType<typeof ctor>;
        clients.push(c);
        return c;
      },
    };
  }, 30_000);

  afterAll(async () => {
    for (const c of clients) c.close();
    await eventStore?.close();
    await nc?.drain();
    await api?.stop();
    await nats?.stop();
  }, 30_000);

  return () => {
    if (fixture === undefined) throw new Error('withApi(): the api only exists inside tests and hooks');
    return fixture;
  };
}

