import { randomBytes } from 'node:crypto';
import { startNatsServer, type NatsTestServer } from '@wasmbed/testing';
import { startEchoServer } from './echo-server-process';
import { startGatewayProcess, type GatewayProcess } from './gateway-process';
import { findChildPid } from './proc-stats';
import { formatReport, type ComparisonReport } from './report';
import type { ServerProcess } from './server-process';
import { createServerTlsMaterial, type ServerTlsMaterial } from './tls-material';
import { WorkerPool } from './worker-pool';
import type { Target } from './worker-messages';

// Longer than any run: the pairing window must not close under the devices.
const PAIRING_SECONDS = 3_600;

/** What every gateway bench needs, set up once and torn down whatever happens. */
export interface BenchEnvironment {
  readonly natsUrl: string;
  /** pid of the nats-server the bench started (undefined with WASMBED_NATS_URL). */
  readonly natsPid: number | undefined;
  readonly tls: ServerTlsMaterial;
  readonly workers: WorkerPool;
  targetOf(server: ServerProcess, mode: Target['mode']): Target;
  startEchoServer(): Promise<ServerProcess>;
  startGateway(options: GatewaySettings): Promise<GatewayProcess>;
}

export interface GatewaySettings {
  readonly heartbeatMs: number;
  /** Most sessions the gateway accepts. */
  readonly capacity: number;
}

export interface BenchEnvironmentOptions {
  readonly workers: number;
  /** An existing NATS (WASMBED_NATS_URL); otherwise a fresh nats-server -js is started. */
  readonly natsUrl?: string;
}

/**
 * Runs `body` with a nats-server, the servers' TLS material and the load-generator
 * processes, and stops every process it started afterwards (also on errors; the
 * children module kills leftovers on Ctrl-C).
 */
export async function withBenchEnvironment(options: BenchEnvironmentOptions, body: (env: BenchEnvironment) => Promise<void>): Promise<void> {
  const servers = new Set<ServerProcess>();
  let nats: NatsTestServer | undefined;
  let tls: ServerTlsMaterial | undefined;
  let workers: WorkerPool | undefined;
  const stopServer = (server: ServerProcess) => async () => {
    servers.delete(server);
    await server.stop();
  };
  const started = <S extends ServerProcess>(server: S): S => {
    servers.add(server);
    return { ...server, stop: stopServer(server) };
  };
  try {
    if (options.natsUrl === undefined) nats = await startNatsServer();
    const natsUrl = options.natsUrl ?? nats!.url;
    const natsPid = nats === undefined ? undefined : findChildPid(process.pid, ['-p', String(nats.port)]);
    tls = await createServerTlsMaterial();
    const material = tls;
    workers = WorkerPool.start(options.workers, randomBytes(16).toString('hex'));
    await body({
      natsUrl,
      natsPid,
      tls: material,
      workers,
      targetOf: (server, mode) => ({ mode, port: server.port, caPem: material.caPem }),
      startEchoServer: async () => started(await startEchoServer(material)),
      startGateway: async ({ heartbeatMs, capacity }) => started(await startGatewayProcess({ natsUrl, tls: material, heartbeatMs, capacity })),
    });
  } finally {
    await workers?.stop();
    await Promise.all([...servers].map((s) => s.stop()));
    await nats?.stop();
    await tls?.remove();
  }
}

/** One server under test: the load of a bench, applied to it; must stop the server when done. */
export type Phase<R> = (env: BenchEnvironment, server: ServerProcess, mode: Target['mode']) => Promise<R>;

/**
 * The shape of every gateway bench: the same `phase` against the bare echo
 * server, then against a fresh gateway with pairing open (unknown keys enroll,
 * auto-approved), one server at a time, and the two results side by side.
 */
export async function compareServers<R>(
  options: BenchEnvironmentOptions & { readonly gateway: GatewaySettings },
  phase: Phase<R>,
  report: (baseline: R, ours: R) => ComparisonReport,
): Promise<void> {
  await withBenchEnvironment(options, async (env) => {
    const baseline = await phase(env, await env.startEchoServer(), 'echo');
    const gateway = await env.startGateway(options.gateway);
    await gateway.openPairing(PAIRING_SECONDS);
    const ours = await phase(env, gateway, 'gateway');
    console.log(formatReport(report(baseline, ours)));
  });
}
