/** The e2e fleet: N simulated devices in their own process against the stack's gateway. */
import { join, resolve } from 'node:path';
import { ProcessOutput, startFleetProcess, type FleetProcess } from '@wasmbed/testing';
import type { Stack } from './stack';

const FLEET_MAIN = resolve(__dirname, '..', '..', 'emulation/sim-device/dist/cli/sim-fleet.js');

export interface E2eFleet extends FleetProcess {
  readonly output: () => string;
}

export function startFleet(stack: Stack, options: { count: number; prefix: string; keyDir: string }): E2eFleet {
  const output = new ProcessOutput();
  const spec = { main: FLEET_MAIN, count: options.count, prefix: options.prefix, gateway: stack.gatewayTls, caFile: stack.pki.files.caCert };
  const fleet = startFleetProcess({ ...spec, keyDir: join(options.keyDir, options.prefix), summaryIntervalMs: 2_000 }, output);
  return { ...fleet, output: () => output.tail() };
}
