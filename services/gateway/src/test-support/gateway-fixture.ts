// Test-only: a real gateway on free ports with fresh TLS material. Excluded from the build.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { withNats, type NatsTestServer } from '@wasmbed/testing';
import type { JetStreamEventStore } from '@wasmbed/event-log';
import { hashToken } from '@wasmbed/grpc-kit';
import { createCertificateAuthority, issueServerCertificate, type CertificateAuthority } from '@wasmbed/pki';
import { openDomainEventStore } from '@wasmbed/service-kit';
import { startGateway, type RunningGateway, type StartGatewayOptions } from '../app';
import type { GatewayConfig } from '../config';
import { silentLogger } from '../logger';

export const ADMIN_TOKEN = 'test-admin-token';
export const VIEWER_TOKEN = 'test-viewer-token';

export interface TestGateway {
  readonly gateway: RunningGateway;
  readonly config: GatewayConfig;
  readonly ca: CertificateAuthority;
  /** A control-plane connection and event store, separate from the gateway's. */
  readonly nc: NatsConnection;
  readonly store: JetStreamEventStore;
  http(path: string, init?: { method?: string; token?: string; body?: unknown }): Promise<{ status: number; body: unknown; text: string }>;
  stop(): Promise<void>;
}

/** Writes the server certificate as DER and its key as PEM, as deployments mix them. */
export async function startTestGateway(natsUrl: string, overrides: Partial<GatewayConfig> = {}, options: StartGatewayOptions = {}): Promise<TestGateway> {
  const dir = await mkdtemp(join(tmpdir(), 'wasmbed-gw-'));
  const ca = await createCertificateAuthority({ commonName: 'Wasmbed Test CA', validityDays: 30 });
  const server = await issueServerCertificate(ca, { commonName: 'gateway', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], validityDays: 7 });
  await writeFile(join(dir, 'server.der'), server.certDer);
  await writeFile(join(dir, 'server.key'), server.keyPem!);
  await writeFile(join(dir, 'client-ca.pem'), ca.certPem);
  const config: GatewayConfig = {
    gatewayId: 'gateway-1',
    natsUrl,
    bind: { host: '127.0.0.1', port: 0 },
    http: { host: '127.0.0.1', port: 0 },
    privateKeyPath: join(dir, 'server.key'),
    certificatePath: join(dir, 'server.der'),
    clientCaPath: join(dir, 'client-ca.pem'),
    adminTokens: [
      { subject: 'ops', role: 'admin', tokenSha256: hashToken(ADMIN_TOKEN) },
      { subject: 'watcher', role: 'viewer', tokenSha256: hashToken(VIEWER_TOKEN) },
    ],
    heartbeatIntervalMs: 30_000,
    // As loadGatewayConfig: the heartbeat interval unless set.
    livenessFlushMs: overrides.heartbeatIntervalMs ?? 30_000,
    helloTimeoutMs: 10_000,
    handshakeTimeoutMs: 10_000,
    pendingHoldMs: 300_000,
    capacity: 100,
    endpoint: 'localhost:4423',
    region: 'test',
    autoApprove: true,
    logLevel: 'error',
    ...overrides,
  };
  const gateway = await startGateway(config, { logger: silentLogger, processMetrics: false, ...options });
  const nc = await connect({ servers: natsUrl, noAsyncTraces: true });
  const store = await openDomainEventStore(nc);
  return {
    gateway,
    config,
    ca,
    nc,
    store,
    async http(path, init = {}) {
      const res = await fetch(`http://127.0.0.1:${gateway.httpPort}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
          ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
        },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
      const text = await res.text();
      let body: unknown = text;
      try {
        body = JSON.parse(text);
      } catch {
        // not JSON (metrics)
      }
      return { status: res.status, body, text };
    },
    async stop() {
      await gateway.stop();
      await store.close();
      await nc.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Jest wiring: a nats-server and a gateway for the calling file. The gateway's
 * afterAll is declared first because jest runs afterAll hooks in declaration
 * order: the gateway must stop while NATS is still there.
 */
export function withGateway(overrides: Partial<GatewayConfig> = {}, options: StartGatewayOptions = {}): { nats: () => NatsTestServer; gw: () => TestGateway } {
  let gw: TestGateway | undefined;
  afterAll(async () => {
    await gw?.stop();
  }, 60_000);
  const nats = withNats();
  beforeAll(async () => {
    gw = await startTestGateway(nats().url, overrides, options);
  }, 60_000);
  return {
    nats,
    gw: () => {
      if (gw === undefined) throw new Error('withGateway(): the gateway only exists inside tests and hooks');
      return gw;
    },
  };
}
