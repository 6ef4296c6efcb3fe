/**
 * bench/gateway-frames: protocol frames per second through one gateway process,
 * K devices each keeping a window of Heartbeats in flight (every one answered
 * by a HeartbeatAck, so the rate is what acks allow), against a bare node:tls
 * echo server echoing the same frames with the same window.
 * Usage: npm run bench:gateway-frames -w @wasmbed/bench -- [--devices 32] [--window 16] [--seconds 10]
 */
import { compareServers, type BenchEnvironment } from '../support/bench-environment';
import { measureTraffic, type MeasuredTraffic } from '../support/measure-traffic';
import { latencies, num, p50p99, percentOf, progress, runMain, type Row } from '../support/report';
import type { ServerProcess } from '../support/server-process';
import { sleep } from '../support/sleep';
import type { ConnectResult, Target } from '../support/worker-messages';
import { parseFramesOptions, type GatewayFramesOptions } from './options';

// Far beyond the run: a flooding device heartbeats constantly, an idle one must not time out between phases.
const GATEWAY_HEARTBEAT_MS = 60_000;

interface FloodResult extends MeasuredTraffic {
  readonly connect: ConnectResult;
}

async function floodPhase(env: BenchEnvironment, o: GatewayFramesOptions, server: ServerProcess, mode: Target['mode']): Promise<FloodResult> {
  const connect = await env.workers.connect(env.targetOf(server, mode), o.devices, o.devices, null);
  progress(`${server.name}: ${connect.established} devices up; flooding with ${o.window} heartbeats in flight each`);
  await env.workers.startTraffic(o.window);
  await sleep(o.warmupSeconds * 1_000);
  const measured = await measureTraffic(env, server, o.window, o.seconds); // counters from zero, the flood goes on
  await env.workers.closeAll();
  await server.stop();
  return { ...measured, connect };
}

const framesPerSecond = (r: FloodResult) => (r.traffic.answered * 1000) / r.traffic.elapsedMs;

function rows(baseline: FloodResult, ours: FloodResult): Row[] {
  const row = (label: string, f: (r: FloodResult) => string): Row => [label, f(baseline), f(ours)];
  return [
    row('devices up / failed', (r) => `${r.connect.established} / ${r.connect.failed}`),
    row('frames answered / sent', (r) => `${r.traffic.answered} / ${r.traffic.sent}`),
    row('frames answered per second', (r) => num(framesPerSecond(r))),
    ['  gateway as % of bare echo (goal >= 50%)', '', percentOf(framesPerSecond(ours), framesPerSecond(baseline))],
    row('round trip p50 / p99 under load (ms)', (r) => p50p99(latencies(r.traffic.rttMs))),
    row('server CPU (% of a core)', (r) => num(r.cpuPercent, 1)),
    row('server CPU per frame answered (µs)', (r) => num(r.traffic.answered > 0 ? (r.cpuMs * 1000) / r.traffic.answered : Number.NaN, 1)),
    row('nats-server CPU (% of a core)', (r) => num(r.natsCpuPercent, 1)),
    row('devices still open', (r) => String(r.traffic.open)),
  ];
}

async function main(): Promise<void> {
  const o = parseFramesOptions(process.argv.slice(2), process.env);
  console.log(
    `gateway-frames: ${o.devices} devices × ${o.window} Heartbeats in flight, ${o.warmupSeconds} s warm-up, ` +
      `${o.seconds} s measured, ${o.workers} load-generator processes`,
  );
  await compareServers(
    { workers: o.workers, natsUrl: o.natsUrl, gateway: { heartbeatMs: GATEWAY_HEARTBEAT_MS, capacity: o.devices + 64 } },
    (env, server, mode) => floodPhase(env, o, server, mode),
    (baseline, ours) => ({
      columns: ['', 'bare TLS echo', 'gateway'],
      rows: rows(baseline, ours),
      failures: { baseline: [...baseline.connect.errors, ...baseline.traffic.errors], gateway: [...ours.connect.errors, ...ours.traffic.errors] },
      notes: [
        'A frame is one Heartbeat and its answer: HeartbeatAck from the gateway (which also updates the',
        "device's liveness record, writes coalesced per session), the same bytes from the echo server.",
      ],
    }),
  );
}

runMain(main);
