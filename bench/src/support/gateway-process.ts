import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { freePort } from '@wasmbed/testing';
import { hasExited, nodeWithRaisedFileLimit, OutputTail, stopChild, track } from './children';
import { BenchProcessError } from './errors';
import type { ServerProcess } from './server-process';
import type { ServerTlsMaterial } from './tls-material';

export interface GatewayProcessOptions {
  readonly natsUrl: string;
  readonly tls: ServerTlsMaterial;
  readonly heartbeatMs: number;
  /** Most sessions the gateway accepts. */
  readonly capacity: number;
  readonly gatewayId?: string;
}

export interface GatewayProcess extends ServerProcess {
  readonly httpPort: number;
  /** Opens the pairing window through the admin API, as an operator would. */
  openPairing(durationSeconds: number): Promise<void>;
}

const READY_TIMEOUT_MS = 60_000;

/**
 * Where the built gateway is: its package's entry point, dist/main.js (built by
 * `npm run build -w @wasmbed/gateway`), or WASMBED_GATEWAY_MAIN. The gateway is a
 * program, not a library: the bench only ever runs it.
 */
export function gatewayMainPath(env: NodeJS.ProcessEnv = process.env): string {
  return env.WASMBED_GATEWAY_MAIN ?? require.resolve('@wasmbed/gateway');
}

/** The environment an operator would give the gateway: every setting through WASMBED_* variables. */
export function gatewayEnvironment(options: GatewayProcessOptions, ports: { tls: number; http: number }, adminTokenSha256: string): Record<string, string> {
  return {
    WASMBED_GATEWAY_ID: options.gatewayId ?? 'bench-gateway',
    WASMBED_NATS_URL: options.natsUrl,
    WASMBED_GATEWAY_BIND_ADDR: `127.0.0.1:${ports.tls}`,
    WASMBED_GATEWAY_HTTP_ADDR: `127.0.0.1:${ports.http}`,
    WASMBED_GATEWAY_PRIVATE_KEY: options.tls.keyPath,
    WASMBED_GATEWAY_CERTIFICATE: options.tls.certPath,
    WASMBED_GATEWAY_ADMIN_TOKENS: JSON.stringify([{ subject: 'bench', role: 'admin', tokenSha256: adminTokenSha256 }]),
    WASMBED_GATEWAY_HEARTBEAT_INTERVAL_MS: String(options.heartbeatMs),
    WASMBED_GATEWAY_CAPACITY: String(options.capacity),
    WASMBED_GATEWAY_AUTO_APPROVE: 'true',
    // Per-session info lines would make the bench measure the terminal.
    WASMBED_LOG_LEVEL: 'warn',
  };
}

/** Starts services/gateway's dist/main.js as a child process and waits until /readyz says ready. */
export async function startGatewayProcess(options: GatewayProcessOptions): Promise<GatewayProcess> {
  const ports = { tls: await freePort(), http: await freePort() };
  const adminToken = randomBytes(24).toString('hex');
  const env = { ...process.env, ...gatewayEnvironment(options, ports, createHash('sha256').update(adminToken).digest('hex')) };
  const node = nodeWithRaisedFileLimit([gatewayMainPath()]);
  const child = track(spawn(node.command, node.args, { env, stdio: ['ignore', 'pipe', 'pipe'] }));
  const tail = new OutputTail().follow(child);
  const base = `http://127.0.0.1:${ports.http}`;

  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (hasExited(child)) throw new BenchProcessError(`the gateway exited during startup (code ${child.exitCode})`, tail.text());
    const ready = await fetch(`${base}/readyz`).then(
      (res) => res.status === 200,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stopChild(child, 5_000);
      throw new BenchProcessError(`the gateway was not ready within ${READY_TIMEOUT_MS} ms`, tail.text());
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    name: 'gateway',
    pid: child.pid!,
    port: ports.tls,
    httpPort: ports.http,
    async openPairing(durationSeconds) {
      const res = await fetch(`${base}/admin/pairing`, {
        method: 'POST',
        headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ enabled: true, durationSeconds }),
      });
      const body = (await res.json().catch(() => ({}))) as { active?: boolean };
      if (res.status !== 200 || body.active !== true) {
        throw new BenchProcessError(`opening pairing mode failed: HTTP ${res.status} ${JSON.stringify(body)}`, tail.text());
      }
    },
    // Graceful stop Byes every session and records it; long enough for that, then SIGKILL.
    stop: () => stopChild(child, 30_000),
  };
}
