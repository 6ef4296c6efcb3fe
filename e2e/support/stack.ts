/**
 * Starts the real stack for e2e tests: a nats-server with JetStream (temp store), the
 * built api and gateway services as child processes configured through their
 * environment (as an operator runs them), and a dev PKI in a temp dir.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ensureDevPki, PKI_FILES, type DevPki } from '@wasmbed/pki';
import { ProcessOutput, freePort, startNatsServer, startServiceProcess, waitForPort, type NatsTestServer, type ServiceProcess } from '@wasmbed/testing';

const ROOT = resolve(__dirname, '..', '..');

export interface StackOptions {
  readonly heartbeatIntervalMs?: number;
  /** Extra environment for the api (e.g. WASMBED_TRUSTED_PUBLISHER_KEYS). */
  readonly apiEnv?: Record<string, string>;
  /** Also run the app-controller and the device-controller (default false). */
  readonly controllers?: boolean;
  /** Extra environment for the app-controller. */
  readonly appControllerEnv?: Record<string, string>;
  /** Extra environment for the device-controller. */
  readonly deviceControllerEnv?: Record<string, string>;
  /**
   * Gateways to run (default 1). The first is service `gateway` (id `gateway-e2e`),
   * the n-th `gateway-<n>` (id `gateway-e2e-<n>`); all share the dev PKI's server
   * certificate, so devices trust each of them.
   */
  readonly gateways?: number;
  /** Also run k8s-sync against this cluster (default: not at all, as without Kubernetes). */
  readonly k8sSync?: { readonly kubeconfigPath: string; readonly namespace: string; readonly env?: Record<string, string> };
  /**
   * Also run renode-manager (emulated MCUs on QEMU) against the first gateway, with the
   * dev PKI's CA as device CA and the stack token as its api and admin token.
   */
  readonly renodeManager?: { readonly env?: Record<string, string> };
}

export type ServiceName = 'api' | 'gateway' | `gateway-${number}` | 'app-controller' | 'device-controller' | 'k8s-sync' | 'renode-manager';

/** renode-manager's commands go to `<subjectPrefix>.<verb>` (NATS request/reply). */
export const EMU_SUBJECT_PREFIX = 'wasmbed.emu';

/** One of the stack's gateways. */
export interface StackGateway {
  readonly service: ServiceName;
  readonly gatewayId: string;
  /** host:port of its device listener (also its recorded endpoint). */
  readonly tls: string;
  readonly http: string;
}

export interface Stack {
  readonly nats: NatsTestServer;
  readonly nc: NatsConnection;
  readonly pki: DevPki;
  readonly token: string;
  readonly apiGrpc: string;
  readonly apiHttp: string;
  readonly gatewayTls: string;
  readonly gatewayHttp: string;
  /** Every gateway, the first one (gatewayTls, gatewayHttp) included. */
  readonly gateways: readonly StackGateway[];
  /** Base URL of the device-controller's HTTP listener (/status), with `controllers`. */
  readonly deviceControllerHttp?: string;
  /** Base URL of renode-manager's HTTP listener, with `renodeManager`. */
  readonly renodeManagerHttp?: string;
  readonly logs: () => string;
  /** SIGKILLs a service (no graceful shutdown), as a crash would. */
  kill(name: ServiceName): Promise<void>;
  /** Starts a killed or stopped service again with the same configuration. */
  restart(name: ServiceName): Promise<void>;
  stop(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const dir = await mkdtemp(join(tmpdir(), 'wasmbed-e2e-'));
  const nats = await startNatsServer();
  const pki = await ensureDevPki(join(dir, 'pki'), { gatewayHosts: ['127.0.0.1', 'localhost'] });
  const token = randomBytes(32).toString('base64url');
  const tokens = JSON.stringify([{ subject: 'e2e-admin', role: 'admin', tokenSha256: createHash('sha256').update(token).digest('hex') }]);
  const [apiGrpcPort, apiHttpPort, gwTlsPort, gwHttpPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const output = new ProcessOutput();
  const logs = (): string => output.tail();
  const heartbeatMs = String(options.heartbeatIntervalMs ?? 1_000);
  const specs = new Map<ServiceName, { main: string; env: Record<string, string>; port: number }>();
  specs.set('api', {
    main: join(ROOT, 'services/api/dist/main.js'),
    port: apiGrpcPort,
    env: {
      WASMBED_NATS_URL: nats.url,
      WASMBED_API_GRPC_ADDR: `127.0.0.1:${apiGrpcPort}`,
      WASMBED_API_HTTP_ADDR: `127.0.0.1:${apiHttpPort}`,
      WASMBED_API_TOKENS: tokens,
      ...options.apiEnv,
    },
  });
  const gateways: StackGateway[] = [];
  for (let n = 1; n <= (options.gateways ?? 1); n++) {
    const [tlsPort, httpPort] = n === 1 ? [gwTlsPort, gwHttpPort] : [await freePort(), await freePort()];
    const gateway: StackGateway = {
      service: n === 1 ? 'gateway' : `gateway-${n}`,
      gatewayId: n === 1 ? 'gateway-e2e' : `gateway-e2e-${n}`,
      tls: `127.0.0.1:${tlsPort}`,
      http: `http://127.0.0.1:${httpPort}`,
    };
    gateways.push(gateway);
    specs.set(gateway.service, {
      main: join(ROOT, 'services/gateway/dist/main.js'),
      port: tlsPort,
      env: {
        WASMBED_NATS_URL: nats.url,
        WASMBED_GATEWAY_ID: gateway.gatewayId,
        WASMBED_GATEWAY_BIND_ADDR: gateway.tls,
        WASMBED_GATEWAY_HTTP_ADDR: `127.0.0.1:${httpPort}`,
        WASMBED_GATEWAY_PRIVATE_KEY: pki.files.serverKey,
        WASMBED_GATEWAY_CERTIFICATE: pki.files.serverCert,
        WASMBED_GATEWAY_CLIENT_CA: pki.files.deviceTrust,
        WASMBED_GATEWAY_ADMIN_TOKENS: tokens,
        WASMBED_GATEWAY_HEARTBEAT_INTERVAL_MS: heartbeatMs,
      },
    });
  }
  let deviceControllerHttp: string | undefined;
  if (options.controllers) {
    const appCtlPort = await freePort();
    const devCtlPort = await freePort();
    deviceControllerHttp = `http://127.0.0.1:${devCtlPort}`;
    specs.set('app-controller', {
      main: join(ROOT, 'services/app-controller/dist/main.js'),
      port: appCtlPort,
      env: { WASMBED_NATS_URL: nats.url, WASMBED_APP_CONTROLLER_HTTP_ADDR: `127.0.0.1:${appCtlPort}`, ...options.appControllerEnv },
    });
    specs.set('device-controller', {
      main: join(ROOT, 'services/device-controller/dist/main.js'),
      port: devCtlPort,
      env: {
        WASMBED_NATS_URL: nats.url,
        WASMBED_DEVICE_CONTROLLER_HTTP_ADDR: `127.0.0.1:${devCtlPort}`,
        WASMBED_HEARTBEAT_INTERVAL_MS: heartbeatMs,
        ...options.deviceControllerEnv,
      },
    });
  }
  if (options.k8sSync) {
    const syncPort = await freePort();
    specs.set('k8s-sync', {
      main: join(ROOT, 'services/k8s-sync/dist/main.js'),
      port: syncPort,
      env: {
        WASMBED_KUBECONFIG: options.k8sSync.kubeconfigPath,
        WASMBED_K8S_NAMESPACE: options.k8sSync.namespace,
        WASMBED_API_GRPC: `127.0.0.1:${apiGrpcPort}`,
        WASMBED_API_TOKEN: token,
        WASMBED_K8S_SYNC_PORT: String(syncPort),
        ...options.k8sSync.env,
      },
    });
  }
  let renodeManagerHttp: string | undefined;
  if (options.renodeManager) {
    const emuPort = await freePort();
    renodeManagerHttp = `http://127.0.0.1:${emuPort}`;
    specs.set('renode-manager', {
      main: join(ROOT, 'services/renode-manager/dist/main.js'),
      port: emuPort,
      env: {
        WASMBED_NATS_URL: nats.url,
        WASMBED_EMU_HTTP_ADDR: `127.0.0.1:${emuPort}`,
        WASMBED_EMU_ID: 'renode-manager-e2e',
        WASMBED_EMU_SUBJECT_PREFIX: EMU_SUBJECT_PREFIX,
        WASMBED_API_GRPC: `127.0.0.1:${apiGrpcPort}`,
        WASMBED_API_TOKEN: token,
        WASMBED_EMU_ADMIN_TOKENS: tokens,
        WASMBED_EMU_GATEWAY: `127.0.0.1:${gwTlsPort}`,
        // The name on the dev PKI's gateway certificate, which the MCU checks.
        WASMBED_EMU_GATEWAY_ENDPOINT: `localhost:${gwTlsPort}`,
        WASMBED_EMU_DEVICE_CA_CERT: pki.files.caCert,
        WASMBED_EMU_DEVICE_CA_KEY: join(dir, 'pki', PKI_FILES.caKey),
        WASMBED_EMU_WORK_DIR: join(dir, 'emu'),
        ...options.renodeManager.env,
      },
    });
  }
  const children = new Map<ServiceName, ServiceProcess>();
  const launch = async (name: ServiceName): Promise<void> => {
    children.set(name, await startServiceProcess({ name, ...specs.get(name)! }, output));
  };
  try {
    await Promise.all([...specs.keys()].map(launch));
    for (const gateway of gateways) {
      await waitForPort(Number(new URL(gateway.http).port), 30_000, children.get(gateway.service)!.child, gateway.service, output);
    }
  } catch (err) {
    await Promise.all([...children.values()].map((c) => c.stop()));
    await nats.stop();
    throw err;
  }
  const nc = await connect({ servers: nats.url });
  return {
    nats,
    nc,
    pki,
    token,
    apiGrpc: `127.0.0.1:${apiGrpcPort}`,
    apiHttp: `http://127.0.0.1:${apiHttpPort}`,
    gatewayTls: `127.0.0.1:${gwTlsPort}`,
    gatewayHttp: `http://127.0.0.1:${gwHttpPort}`,
    gateways,
    ...(deviceControllerHttp ? { deviceControllerHttp } : {}),
    ...(renodeManagerHttp ? { renodeManagerHttp } : {}),
    logs,
    async kill(name) {
      await children.get(name)?.kill();
    },
    async restart(name) {
      await children.get(name)?.stop();
      await launch(name);
    },
    async stop() {
      await nc.close();
      await Promise.all([...children.values()].map((c) => c.stop()));
      await nats.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

