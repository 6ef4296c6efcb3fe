/**
 * A simulated fleet in its own process (the `wasmbed-sim-fleet` CLI of
 * @wasmbed/sim-device, built), as an operator runs it: for e2e tests and benchmarks.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ServiceStartError } from './errors';
import { endChild, type ProcessOutput } from './service-process';

export interface FleetProcessSpec {
  /** Path of sim-device's built dist/cli/sim-fleet.js. */
  readonly main: string;
  readonly count: number;
  readonly prefix: string;
  /** host:port of the gateway's device endpoint. */
  readonly gateway: string;
  /** Path of the CA certificate (PEM) the gateway's certificate chains to. */
  readonly caFile: string;
  readonly keyDir: string;
  readonly summaryIntervalMs?: number;
}

export interface FleetProcess {
  readonly prefix: string;
  /** SIGTERM (devices disconnect cleanly), then SIGKILL after 10 s. */
  stop(): Promise<void>;
}

export function startFleetProcess(spec: FleetProcessSpec, output: ProcessOutput): FleetProcess {
  if (!existsSync(spec.main)) throw new ServiceStartError(`${spec.main} is missing: build first (npm run build)`);
  const args = ['--count', String(spec.count), '--gateway', spec.gateway, '--ca', spec.caFile, '--key-dir', spec.keyDir, '--prefix', spec.prefix];
  const child = spawn(process.execPath, [spec.main, ...args, '--summary-interval-ms', String(spec.summaryIntervalMs ?? 5_000)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => output.append(`fleet ${spec.prefix}`, chunk));
  child.stderr?.on('data', (chunk: Buffer) => output.append(`fleet ${spec.prefix}`, chunk));
  return { prefix: spec.prefix, stop: () => endChild(child, 'SIGTERM') };
}
