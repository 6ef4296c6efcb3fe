// Test-only: a real nats-server and the built api as its own process, the way
// an operator runs it (the api package exports nothing to start it in-process).
import { createHash, randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { ProcessOutput, freePort, startNatsServer, startServiceProcess, waitForPort, type NatsTestServer, type ServiceProcess } from '@wasmbed/testing';

export const API_MAIN = resolve(__dirname, '..', '..', '..', '..', 'services', 'api', 'dist', 'main.js');

export const ROLES = ['admin', 'operator', 'viewer'] as const;
export type Role = (typeof ROLES)[number];

export interface ApiUnderTest {
  readonly nats: NatsTestServer;
  readonly grpcAddress: string;
  readonly httpBase: string;
  readonly tokens: Readonly<Record<Role, string>>;
  readonly logs: () => string;
  /** SIGTERM, as an operator stopping it. */
  stop(): Promise<void>;
  /** Starts it again on the same ports (after stop). */
  restart(): Promise<void>;
  close(): Promise<void>;
}

export async function startApiProcess(): Promise<ApiUnderTest> {
  const nats = await startNatsServer();
  const tokens = Object.fromEntries(ROLES.map((role) => [role, `${role}-${randomBytes(16).toString('hex')}`])) as Record<Role, string>;
  const configured = ROLES.map((role) => ({ subject: `${role}-it`, role, tokenSha256: createHash('sha256').update(tokens[role]).digest('hex') }));
  const [grpcPort, httpPort] = [await freePort(), await freePort()];
  const output = new ProcessOutput();
  const spec = {
    name: 'api',
    main: API_MAIN,
    port: grpcPort,
    env: {
      WASMBED_NATS_URL: nats.url,
      WASMBED_API_GRPC_ADDR: `127.0.0.1:${grpcPort}`,
      WASMBED_API_HTTP_ADDR: `127.0.0.1:${httpPort}`,
      WASMBED_API_TOKENS: JSON.stringify(configured),
      WASMBED_LOG_LEVEL: 'warn',
    },
  };
  let api: ServiceProcess | undefined;
  const launch = async () => {
    api = await startServiceProcess(spec, output);
    await waitForPort(httpPort, 30_000, api.child, 'api', output);
  };
  try {
    await launch();
  } catch (err) {
    await nats.stop();
    throw err;
  }
  return {
    nats,
    grpcAddress: `127.0.0.1:${grpcPort}`,
    httpBase: `http://127.0.0.1:${httpPort}`,
    tokens,
    logs: () => output.tail(),
    stop: async () => api?.stop(),
    restart: launch,
    async close() {
      await api?.stop();
      await nats.stop();
    },
  };
}
