import { createHash, randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { deviceDecider, type DeviceCommand } from '@wasmbed/domain';
import { handleCommand, type JetStreamEventStore } from '@wasmbed/event-log';
import { ensureDevPki, type DevPki } from '@wasmbed/pki';
import { openDomainEventStore } from '@wasmbed/service-kit';
import { freePort, ProcessOutput, startNatsServer, startServiceProcess, type NatsTestServer, type ServiceProcess } from '@wasmbed/testing';

const ROOT = resolve(__dirname, '..', '..', '..');
const ADMIN_TOKEN = 'firmware-tls-admin';

/** The real gateway (built services/gateway, its own process), its NATS, the dev PKI and the event log. */
export interface GatewayUnderTest {
  readonly tlsPort: number;
  readonly pki: DevPki;
  readonly store: JetStreamEventStore;
  /** The gateway's NATS: the device bus (commands, status, logs, liveness, modules). */
  readonly nc: NatsConnection;
  /** Registers a device's key, as an operator would: its next Hello gets Welcome. */
  registerDevice(deviceId: string, publicKeyHex: string, board: string, architecture: string): Promise<void>;
  /** Opens this gateway's pairing window (unknown devices then wait for approval). */
  openPairing(): Promise<void>;
  deviceEventTypes(deviceId: string): Promise<string[]>;
  logs(): string;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  /** Welcome's heartbeatIntervalMs (the gateway's default is 30 s). */
  readonly heartbeatIntervalMs?: number;
}

/** Auto-approval off: an unknown device in the pairing window gets EnrollmentPending. */
export async function startGatewayUnderTest(options: GatewayOptions = {}): Promise<GatewayUnderTest> {
  const dir = await mkdtemp(join(tmpdir(), 'wasmbed-fw-tls-'));
  const nats: NatsTestServer = await startNatsServer();
  const pki = await ensureDevPki(join(dir, 'pki'), { gatewayHosts: ['127.0.0.1', 'localhost'] });
  const [tlsPort, httpPort] = [await freePort(), await freePort()];
  const output = new ProcessOutput();
  const tokens = JSON.stringify([{ subject: 'firmware-test', role: 'admin', tokenSha256: createHash('sha256').update(ADMIN_TOKEN).digest('hex') }]);
  let gateway: ServiceProcess | undefined;
  let nc: NatsConnection | undefined;
  try {
    gateway = await startServiceProcess(
      {
        name: 'gateway',
        main: join(ROOT, 'services/gateway/dist/main.js'),
        port: tlsPort,
        env: {
          WASMBED_NATS_URL: nats.url,
          WASMBED_GATEWAY_ID: 'gateway-fw',
          WASMBED_GATEWAY_BIND_ADDR: `127.0.0.1:${tlsPort}`,
          WASMBED_GATEWAY_HTTP_ADDR: `127.0.0.1:${httpPort}`,
          WASMBED_GATEWAY_ENDPOINT: `localhost:${tlsPort}`,
          WASMBED_GATEWAY_PRIVATE_KEY: pki.files.serverKey,
          WASMBED_GATEWAY_CERTIFICATE: pki.files.serverCert,
          WASMBED_GATEWAY_CLIENT_CA: pki.files.deviceTrust,
          WASMBED_GATEWAY_ADMIN_TOKENS: tokens,
          WASMBED_GATEWAY_AUTO_APPROVE: 'false',
          WASMBED_LOG_LEVEL: 'info',
          ...(options.heartbeatIntervalMs ? { WASMBED_GATEWAY_HEARTBEAT_INTERVAL_MS: String(options.heartbeatIntervalMs) } : {}),
        },
      },
      output,
    );
    nc = await connect({ servers: nats.url, noAsyncTraces: true });
  } catch (err) {
    await gateway?.stop();
    await nats.stop();
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
  const connection = nc;
  const store = await openDomainEventStore(connection);
  const started = gateway;

  const registerDevice = async (deviceId: string, publicKey: string, board: string, architecture: string): Promise<void> => {
    const now = new Date().toISOString();
    const commandId = randomUUID();
    const command: DeviceCommand = { type: 'RegisterDevice', data: { deviceId, publicKey, board, architecture }, metadata: { now, actor: 'operator' } };
    await handleCommand({
      store,
      decider: deviceDecider,
      stream: { aggregateType: 'device', aggregateId: deviceId },
      command,
      metadata: { commandId, correlationId: commandId, actor: 'operator', now },
    });
  };

  return {
    tlsPort,
    pki,
    store,
    nc: connection,
    registerDevice,
    async openPairing() {
      const res = await fetch(`http://127.0.0.1:${httpPort}/admin/pairing`, {
        method: 'POST',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify({ enabled: true, durationSeconds: 600 }),
      });
      if (res.status !== 200) throw new Error(`opening the pairing window: HTTP ${res.status} ${await res.text()}`);
    },
    async deviceEventTypes(deviceId) {
      const { events } = await store.readStream({ aggregateType: 'device', aggregateId: deviceId });
      return events.map((e) => e.type);
    },
    logs: () => output.tail(),
    async stop() {
      await started.stop();
      await store.close();
      await connection.close();
      await nats.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
