/**
 * A simulated fleet in its own process (the `wasmbed-sim-fleet` CLI), as an operator
 * would run it: N devices over TLS 1.3 against the stack's gateway.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Stack } from './stack';

const FLEET_MAIN = resolve(__dirname, '..', '..', 'emulation/sim-device/dist/cli/sim-fleet.js');

export interface FleetProcess {
  readonly prefix: string;
  readonly output: () => string;
  stop(): Promise<void>;
}

export function startFleet(stack: Stack, options: { count: number; prefix: string; keyDir: string }): FleetProcess {
  if (!existsSync(FLEET_MAIN)) throw new Error(`${FLEET_MAIN} is missing: build first (npm run build)`);
  const child: ChildProcess = spawn(
    process.execPath,
    [FLEET_MAIN, '--count', String(options.count), '--gateway', stack.gatewayTls, '--ca', stack.pki.files.caCert, '--key-dir', join(options.keyDir, options.prefix), '--prefix', options.prefix, '--summary-interval-ms', '2000'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  const keep = (chunk: Buffer): void => {
    out = (out + chunk.toString()).slice(-20_000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  return {
    prefix: options.prefix,
    output: () => out,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((done) => {
        const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
        child.once('exit', () => {
          clearTimeout(timer);
          done();
        });
        child.kill('SIGTERM');
      });
    },
  };
}
