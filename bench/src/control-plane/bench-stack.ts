/**
 * The whole control plane for a benchmark, every part in its own process: a real
 * nats-server, the built api, gateway and app-controller, and simulated fleets
 * (the wasmbed-sim-fleet CLI) split over several processes.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createClient } from '@wasmbed/grpc-kit';
import { ensureDevPki } from '@wasmbed/pki';
import { ApplicationServiceClient, DevicePhase, DeviceServiceClient, type ListDevicesResponse } from '@wasmbed/proto';
import { ProcessOutput, call, freePort, startFleetProcess, startNatsServer, startServiceProcess, type FleetProcess, type NatsTestServer, type ServiceProcess } from '@wasmbed/testing';
import { findChildPid, sampleProcess } from '../support/proc-stats';

const ROOT = resolve(__dirname, '..', '..', '..');

export interface BenchStackOptions {
  readonly devices: number;
  readonly fleetProcesses: number;
  readonly appController: boolean;
  readonly heartbeatMs: number;
}

export interface BenchStack {
  readonly nc: NatsConnection;
  readonly devices: DeviceServiceClient;
  readonly apps: ApplicationServiceClient;
  readonly output: ProcessOutput;
  /** Names of the connected devices. */
  connectedDevices(): Promise<string[]>;
  /** CPU time (ms, user + system, all threads) each part has used so far: every service, nats-server, and the fleets together. */
  cpuMs(): Record<string, number>;
  /** The app-controller's counters of device commands and replies (its /metrics lines), empty without one. */
  appControllerCommands(): Promise<string[]>;
  stop(): Promise<void>;
}

export async function startBenchStack(options: BenchStackOptions): Promise<BenchStack> {
  const dir = await mkdtemp(join(tmpdir(), 'wasmbed-bench-cp-'));
  const output = new ProcessOutput();
  const nats: NatsTestServer = await startNatsServer();
  const services: ServiceProcess[] = [];
  const fleets: FleetProcess[] = [];
  const stop = async (): Promise<void> => {
    await Promise.all(fleets.map((f) => f.stop()));
    await Promise.all(services.map((s) => s.stop()));
    await nats.stop();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const pki = await ensureDevPki(join(dir, 'pki'), { gatewayHosts: ['127.0.0.1', 'localhost'] });
    const { token, tokens } = benchToken();
    const [grpc, http, tls, gwHttp, ctl] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
    const start = async (name: string, main: string, port: number, env: Record<string, string>): Promise<void> => {
      const spec = { name, main: join(ROOT, main), port, nodeArgs: profilingArgs(name) };
      services.push(await startServiceProcess({ ...spec, env: { WASMBED_NATS_URL: nats.url, WASMBED_LOG_LEVEL: 'warn', ...env } }, output));
    };
    await start('api', 'services/api/dist/main.js', grpc, apiEnv(grpc, http, tokens));
    await start('gateway', 'services/gateway/dist/main.js', tls, {
      WASMBED_GATEWAY_BIND_ADDR: `127.0.0.1:${tls}`,
      WASMBED_GATEWAY_HTTP_ADDR: `127.0.0.1:${gwHttp}`,
      WASMBED_GATEWAY_PRIVATE_KEY: pki.files.serverKey,
      WASMBED_GATEWAY_CERTIFICATE: pki.files.serverCert,
      WASMBED_GATEWAY_CLIENT_CA: pki.files.deviceTrust,
      WASMBED_GATEWAY_HEARTBEAT_INTERVAL_MS: String(options.heartbeatMs),
    });
    if (options.appController) {
      await start('app-controller', 'services/app-controller/dist/main.js', ctl, { WASMBED_APP_CONTROLLER_HTTP_ADDR: `127.0.0.1:${ctl}` });
    }
    const nc = await connect({ servers: nats.url });
    const devices = createClient(DeviceServiceClient, `127.0.0.1:${grpc}`, { token });
    const apps = createClient(ApplicationServiceClient, `127.0.0.1:${grpc}`, { token });
    const pairing = (enabled: boolean) =>
      call((done) => devices.setPairingMode({ commandId: '', expectedVersion: 0, target: { $case: 'allGateways', value: true }, enabled, durationSeconds: 3600 }, done));
    await pairing(true);
    const per = Math.ceil(options.devices / options.fleetProcesses);
    for (let i = 0, left = options.devices; left > 0; i += 1, left -= per) {
      const spec = { main: FLEET_MAIN, count: Math.min(per, left), prefix: `f${i}-`, gateway: `127.0.0.1:${tls}`, caFile: pki.files.caCert, keyDir: join(dir, `keys-${i}`) };
      fleets.push(startFleetProcess({ ...spec, summaryIntervalMs: 60_000 }, output));
    }
    const connectedDevices = async (): Promise<string[]> => {
      const names: string[] = [];
      let pageToken = '';
      do {
        const page = await call<ListDevicesResponse>((done) =>
          devices.listDevices({ pageSize: 1000, pageToken, labelSelector: '', phase: DevicePhase.DEVICE_PHASE_CONNECTED, gateway: '' }, done),
        );
        names.push(...page.devices.map((d) => d.name));
        pageToken = page.nextPageToken;
      } while (pageToken);
      return names;
    };
    const deadline = Date.now() + 600_000;
    while ((await connectedDevices()).length < options.devices) {
      if (Date.now() > deadline) throw new Error(`only ${(await connectedDevices()).length} of ${options.devices} devices connected:\n${output.tail()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
    await pairing(false);
    const fleetPids = fleets.map((f) => findChildPid(process.pid, [FLEET_MAIN, f.prefix]));
    const natsPid = findChildPid(process.pid, ['nats-server']);
    const cpuOf = (pid: number | undefined): number => (pid === undefined ? Number.NaN : sampleProcess(pid).cpuMs);
    return {
      nc,
      devices,
      apps,
      output,
      connectedDevices,
      cpuMs() {
        const parts: Record<string, number> = {};
        for (const s of services) parts[s.name] = cpuOf(s.child.pid);
        parts['nats-server'] = cpuOf(natsPid);
        parts.fleets = fleetPids.reduce<number>((sum, pid) => sum + cpuOf(pid), 0);
        return parts;
      },
      async appControllerCommands() {
        if (!options.appController) return [];
        const text = await (await fetch(`http://127.0.0.1:${ctl}/metrics`)).text();
        return text.split('\n').filter((line) => /^wasmbed_app_controller_(deploys_sent|device_replies|domain_commands)_total/.test(line));
      },
      async stop() {
        devices.close();
        apps.close();
        await nc.close();
        await stop();
      },
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** WASMBED_BENCH_CPU_PROF_DIR=<dir>: every service writes a V8 CPU profile `<name>.cpuprofile` there when it stops. */
export function profilingArgs(name: string): string[] {
  const dir = process.env.WASMBED_BENCH_CPU_PROF_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
}

/** A fresh admin token and the WASMBED_API_TOKENS value that accepts it. */
export function benchToken(): { token: string; tokens: string } {
  const token = randomBytes(32).toString('base64url');
  return { token, tokens: JSON.stringify([{ subject: 'bench', role: 'admin', tokenSha256: createHash('sha256').update(token).digest('hex') }]) };
}

export function apiEnv(grpcPort: number, httpPort: number, tokens: string): Record<string, string> {
  return { WASMBED_API_GRPC_ADDR: `127.0.0.1:${grpcPort}`, WASMBED_API_HTTP_ADDR: `127.0.0.1:${httpPort}`, WASMBED_API_TOKENS: tokens };
}

export const API_MAIN = join(ROOT, 'services/api/dist/main.js');
const FLEET_MAIN = join(ROOT, 'emulation/sim-device/dist/cli/sim-fleet.js');
