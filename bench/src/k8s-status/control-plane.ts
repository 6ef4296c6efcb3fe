/**
 * The control plane behind the Kubernetes objects, each part its own built process: a
 * real nats-server, the api, the app-controller and k8s-sync pointed at the bench's
 * kube-apiserver. No gateway: the fake gateway and fleet stand in for it (see fake-*.ts).
 */
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createClient } from '@wasmbed/grpc-kit';
import { ApplicationServiceClient, DeviceServiceClient } from '@wasmbed/proto';
import { ProcessOutput, freePort, startNatsServer, startServiceProcess, type NatsTestServer, type ServiceProcess } from '@wasmbed/testing';
import { API_MAIN, apiEnv, benchToken } from '../control-plane/bench-stack';
import type { WriterTotals } from './phase';

const ROOT = resolve(__dirname, '..', '..', '..');
const APP_CONTROLLER_MAIN = join(ROOT, 'services/app-controller/dist/main.js');
const K8S_SYNC_MAIN = join(ROOT, 'services/k8s-sync/dist/main.js');

export interface ControlPlaneOptions {
  readonly kubeconfigPath: string;
  readonly namespace: string;
  readonly statusMinIntervalMs: number;
  readonly syncWorkers: number;
  readonly statusInFlight: number;
}

export interface ControlPlane {
  readonly nc: NatsConnection;
  readonly devices: DeviceServiceClient;
  readonly apps: ApplicationServiceClient;
  readonly output: ProcessOutput;
  /** k8s-sync's /status document (its StatusWriter's totals among others). */
  syncStatus(): Promise<SyncStatus>;
  stop(): Promise<void>;
}

export interface SyncStatus {
  readonly leader: boolean;
  readonly statusWriter: WriterTotals;
}

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const output = new ProcessOutput();
  const nats: NatsTestServer = await startNatsServer();
  const services: ServiceProcess[] = [];
  const stopAll = async (): Promise<void> => {
    for (const s of services.reverse()) await s.stop();
    await nats.stop();
  };
  try {
    const { token, tokens } = benchToken();
    const [grpc, http, ctl, sync] = [await freePort(), await freePort(), await freePort(), await freePort()];
    const common = { WASMBED_NATS_URL: nats.url, WASMBED_LOG_LEVEL: 'warn' };
    const start = async (name: string, main: string, port: number, env: Record<string, string>) =>
      services.push(await startServiceProcess({ name, main, port, env: { ...common, ...env }, startTimeoutMs: 60_000 }, output));
    await start('api', API_MAIN, grpc, apiEnv(grpc, http, tokens));
    await start('app-controller', APP_CONTROLLER_MAIN, ctl, { WASMBED_APP_CONTROLLER_HTTP_ADDR: `127.0.0.1:${ctl}` });
    await start('k8s-sync', K8S_SYNC_MAIN, sync, {
      WASMBED_KUBECONFIG: options.kubeconfigPath,
      WASMBED_K8S_NAMESPACE: options.namespace,
      WASMBED_API_GRPC: `127.0.0.1:${grpc}`,
      WASMBED_API_TOKEN: token,
      WASMBED_K8S_SYNC_PORT: String(sync),
      WASMBED_K8S_STATUS_MIN_INTERVAL_MS: String(options.statusMinIntervalMs),
      WASMBED_K8S_SYNC_WORKERS: String(options.syncWorkers),
      WASMBED_K8S_STATUS_MAX_IN_FLIGHT: String(options.statusInFlight),
    });
    const nc = await connect({ servers: nats.url, noAsyncTraces: true });
    const devices = createClient(DeviceServiceClient, `127.0.0.1:${grpc}`, { token });
    const apps = createClient(ApplicationServiceClient, `127.0.0.1:${grpc}`, { token });
    return {
      nc,
      devices,
      apps,
      output,
      async syncStatus() {
        const res = await fetch(`http://127.0.0.1:${sync}/status`);
        return (await res.json()) as SyncStatus;
      },
      async stop() {
        devices.close();
        apps.close();
        await nc.close();
        await stopAll();
      },
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
