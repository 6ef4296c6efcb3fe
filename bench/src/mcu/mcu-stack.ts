/**
 * The stack emulated MCUs meet, every part its own process as an operator runs it:
 * nats-server, the built api, gateway, app-controller and renode-manager, a dev
 * PKI, and one publisher key that the api admits and every MCU is provisioned with.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createClient } from '@wasmbed/grpc-kit';
import { ed25519KeyPairFromSeed, ensureDevPki, PKI_FILES } from '@wasmbed/pki';
import { ApplicationServiceClient, DeviceServiceClient } from '@wasmbed/proto';
import { ProcessOutput, freePort, startNatsServer, startServiceProcess, type NatsTestServer, type ServiceProcess } from '@wasmbed/testing';
import { apiEnv, benchToken, profilingArgs } from '../control-plane/bench-stack';
import { findChildPid } from '../support/proc-stats';

const ROOT = resolve(__dirname, '..', '..', '..');
export const EMU_PREFIX = 'wasmbed.emu';

export interface McuStack {
  readonly nc: NatsConnection;
  readonly devices: DeviceServiceClient;
  readonly apps: ApplicationServiceClient;
  readonly publisherSeed: Uint8Array;
  readonly output: ProcessOutput;
  /** Pids of the services and nats-server, for CPU and memory figures. */
  readonly pids: Readonly<Record<string, number | undefined>>;
  stop(): Promise<void>;
}

export async function startMcuStack(options: { maxDevices: number; heartbeatMs: number }): Promise<McuStack> {
  const dir = await mkdtemp(join(tmpdir(), 'wasmbed-bench-mcu-'));
  const output = new ProcessOutput();
  const nats: NatsTestServer = await startNatsServer();
  const services: ServiceProcess[] = [];
  const stop = async (): Promise<void> => {
    // renode-manager first: it ends its QEMUs and revokes nothing on shutdown.
    for (const s of [...services].reverse()) await s.stop();
    await nats.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const pki = await ensureDevPki(join(dir, 'pki'), { gatewayHosts: ['127.0.0.1', 'localhost'] });
    const { token, tokens } = benchToken();
    const publisherSeed = randomBytes(32);
    const publisherKey = ed25519KeyPairFromSeed(publisherSeed).publicKeyHex;
    const [grpc, http, tls, gwHttp, ctl, emu] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    const start = async (name: string, main: string, port: number, env: Record<string, string>): Promise<void> => {
      const spec = { name, main: join(ROOT, main), port, nodeArgs: profilingArgs(name) };
      services.push(await startServiceProcess({ ...spec, env: { WASMBED_NATS_URL: nats.url, WASMBED_LOG_LEVEL: 'warn', ...env } }, output));
    };
    await start('api', 'services/api/dist/main.js', grpc, { ...apiEnv(grpc, http, tokens), WASMBED_TRUSTED_PUBLISHER_KEYS: publisherKey });
    await start('gateway', 'services/gateway/dist/main.js', tls, {
      WASMBED_GATEWAY_BIND_ADDR: `127.0.0.1:${tls}`,
      WASMBED_GATEWAY_HTTP_ADDR: `127.0.0.1:${gwHttp}`,
      WASMBED_GATEWAY_PRIVATE_KEY: pki.files.serverKey,
      WASMBED_GATEWAY_CERTIFICATE: pki.files.serverCert,
      WASMBED_GATEWAY_CLIENT_CA: pki.files.deviceTrust,
      WASMBED_GATEWAY_HEARTBEAT_INTERVAL_MS: String(options.heartbeatMs),
    });
    await start('app-controller', 'services/app-controller/dist/main.js', ctl, { WASMBED_APP_CONTROLLER_HTTP_ADDR: `127.0.0.1:${ctl}` });
    await start('renode-manager', 'services/renode-manager/dist/main.js', emu, {
      WASMBED_EMU_HTTP_ADDR: `127.0.0.1:${emu}`,
      WASMBED_EMU_SUBJECT_PREFIX: EMU_PREFIX,
      WASMBED_API_GRPC: `127.0.0.1:${grpc}`,
      WASMBED_API_TOKEN: token,
      WASMBED_EMU_GATEWAY: `127.0.0.1:${tls}`,
      WASMBED_EMU_GATEWAY_ENDPOINT: `localhost:${tls}`,
      WASMBED_EMU_DEVICE_CA_CERT: pki.files.caCert,
      WASMBED_EMU_DEVICE_CA_KEY: join(dir, 'pki', PKI_FILES.caKey),
      WASMBED_EMU_WORK_DIR: join(dir, 'emu'),
      WASMBED_EMU_PUBLISHER_KEYS: publisherKey,
      WASMBED_EMU_MAX_DEVICES: String(options.maxDevices),
      // A fleet-size run is about steady state: a crashed MCU shows as not Connected rather than being restarted.
      WASMBED_EMU_MAX_RESTARTS: '0',
      WASMBED_EMU_ATTACH_TIMEOUT_MS: '60000',
    });
    const nc = await connect({ servers: nats.url, noAsyncTraces: true });
    const pids: Record<string, number | undefined> = Object.fromEntries(services.map((s) => [s.name, s.child.pid]));
    pids['nats-server'] = findChildPid(process.pid, ['nats-server']) ?? findChildPid(process.pid, ['-js']);
    return {
      nc,
      devices: createClient(DeviceServiceClient, `127.0.0.1:${grpc}`, { token }),
      apps: createClient(ApplicationServiceClient, `127.0.0.1:${grpc}`, { token }),
      publisherSeed,
      output,
      pids,
      async stop() {
        await nc.close();
        await stop();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
