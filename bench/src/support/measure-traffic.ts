import type { BenchEnvironment } from './bench-environment';
import { cpuPercent, cpuPercentIfKnown, sampleIfKnown, sampleProcess, type ProcessSample } from './proc-stats';
import type { ServerProcess } from './server-process';
import { sleep } from './sleep';
import type { TrafficResult } from './worker-messages';

export interface MeasuredTraffic {
  readonly traffic: TrafficResult;
  /** The server at the end of the window. */
  readonly server: ProcessSample;
  /** Server CPU over the window. */
  readonly cpuMs: number;
  readonly cpuPercent: number;
  readonly natsCpuPercent?: number;
}

/**
 * The devices' heartbeat traffic over `seconds` with the server's and the
 * nats-server's CPU over the same window. floodWindow 0 counts the scheduled
 * heartbeats; > 0 keeps that many in flight per device (the flood goes on
 * afterwards until the devices are closed or traffic stops).
 */
export async function measureTraffic(env: BenchEnvironment, server: ServerProcess, floodWindow: number, seconds: number): Promise<MeasuredTraffic> {
  await env.workers.startTraffic(floodWindow);
  const before = sampleProcess(server.pid);
  const natsBefore = sampleIfKnown(env.natsPid);
  await sleep(seconds * 1_000);
  const traffic = await env.workers.stopTraffic();
  const after = sampleProcess(server.pid);
  return {
    traffic,
    server: after,
    cpuMs: after.cpuMs - before.cpuMs,
    cpuPercent: cpuPercent(before, after),
    natsCpuPercent: cpuPercentIfKnown(natsBefore, sampleIfKnown(env.natsPid)),
  };
}
