/**
 * bench/gateway-sessions: how many concurrent device sessions with heartbeats one
 * gateway process holds, what each costs in memory and CPU, and how fast
 * heartbeats are answered; beside the same number of bare TLS 1.3 mTLS
 * connections to a bare node:tls echo server carrying the same frames at the
 * same rate. Usage: npm run bench:gateway-sessions -w @wasmbed/bench -- [--sessions N] [--heartbeat-ms MS]
 */
import { compareServers, type BenchEnvironment } from '../support/bench-environment';
import { measureTraffic, type MeasuredTraffic } from '../support/measure-traffic';
import { openFilesLimit, sampleProcess, type ProcessSample } from '../support/proc-stats';
import { latencies, num, p50p99, progress, runMain, type Row } from '../support/report';
import type { ServerProcess } from '../support/server-process';
import { sleep } from '../support/sleep';
import type { ConnectResult, Target } from '../support/worker-messages';
import { parseSessionsOptions, type GatewaySessionsOptions } from './options';

interface PhaseResult extends MeasuredTraffic {
  readonly connect: ConnectResult;
  readonly idle: ProcessSample;
  /** Right after the last session came up. */
  readonly connected: ProcessSample;
}

/** One server under the full set of sessions: connect all, let heartbeats settle, measure, close. */
async function sessionsPhase(env: BenchEnvironment, o: GatewaySessionsOptions, server: ServerProcess, mode: Target['mode']): Promise<PhaseResult> {
  await sleep(1_000); // startup allocations settle before the idle reading
  const idle = sampleProcess(server.pid);
  progress(`${server.name}: connecting ${o.sessions} devices`);
  const connect = await env.workers.connect(env.targetOf(server, mode), o.sessions, o.connectConcurrency, o.heartbeatMs);
  const connected = sampleProcess(server.pid);
  progress(`${server.name}: ${connect.established} up in ${(connect.elapsedMs / 1000).toFixed(1)} s; heartbeats settle for one interval`);
  await sleep(o.heartbeatMs + 1_000);
  const measured = await measureTraffic(env, server, 0, o.measureSeconds);
  await env.workers.closeAll();
  await server.stop();
  return { ...measured, connect, idle, connected };
}

function rows(baseline: PhaseResult, ours: PhaseResult): Row[] {
  const row = (label: string, f: (r: PhaseResult) => string): Row => [label, f(baseline), f(ours)];
  const perSession = (r: PhaseResult) => (r.connect.established > 0 ? (r.server.rssKiB - r.idle.rssKiB) / r.connect.established : Number.NaN);
  const cpuPerHeartbeatUs = (r: PhaseResult) => (r.traffic.answered > 0 ? (r.cpuMs * 1000) / r.traffic.answered : Number.NaN);
  return [
    row('sessions up / failed', (r) => `${r.connect.established} / ${r.connect.failed}`),
    row('connect rate (sessions/s)', (r) => num((r.connect.established * 1000) / r.connect.elapsedMs)),
    row('server CPU per session set up (ms)', (r) => num((r.connected.cpuMs - r.idle.cpuMs) / r.connect.established, 2)),
    row('still open after the measurement', (r) => String(r.traffic.open)),
    row('heartbeats answered / sent', (r) => `${r.traffic.answered} / ${r.traffic.sent}`),
    row('heartbeats answered per second', (r) => num((r.traffic.answered * 1000) / r.traffic.elapsedMs)),
    row('heartbeat RTT p50 / p99 (ms)', (r) => p50p99(latencies(r.traffic.rttMs))),
    row('heartbeat RTT max (ms)', (r) => num(latencies(r.traffic.rttMs).max, 1)),
    row('server RSS idle (MiB)', (r) => num(r.idle.rssKiB / 1024, 1)),
    row('server RSS with sessions (MiB)', (r) => num(r.server.rssKiB / 1024, 1)),
    row('RSS per session (KiB; goal <= 100)', (r) => num(perSession(r), 1)),
    row('server CPU while measuring (% of a core)', (r) => num(r.cpuPercent, 1)),
    row('server CPU per heartbeat (µs)', (r) => num(cpuPerHeartbeatUs(r), 1)),
    row('nats-server CPU (% of a core)', (r) => num(r.natsCpuPercent, 1)),
  ];
}

async function main(): Promise<void> {
  const o = parseSessionsOptions(process.argv.slice(2), process.env);
  console.log(
    `gateway-sessions: ${o.sessions} sessions, heartbeat every ${o.heartbeatMs} ms, ${o.workers} load-generator processes, ` +
      `${o.connectConcurrency} connecting at once, measured over ${o.measureSeconds} s`,
  );
  const fileLimit = openFilesLimit();
  if (fileLimit !== undefined && o.sessions + 256 > fileLimit) {
    // The servers and load generators start with their soft limit raised to this hard limit; beyond it only an administrator helps.
    console.log(`warning: the hard open-files limit is ${fileLimit}; the server needs one descriptor per session (raise it with ulimit -Hn as root)`);
  }
  await compareServers(
    { workers: o.workers, natsUrl: o.natsUrl, gateway: { heartbeatMs: o.heartbeatMs, capacity: o.sessions + 64 } },
    (env, server, mode) => sessionsPhase(env, o, server, mode),
    (baseline, ours) => ({
      columns: ['', 'bare TLS echo', 'gateway'],
      rows: rows(baseline, ours),
      failures: {
        'baseline connect failure': baseline.connect.errors,
        'baseline session lost': baseline.traffic.errors,
        'gateway connect failure': ours.connect.errors,
        'gateway session lost': ours.traffic.errors,
      },
      notes: [
        'RTT is measured on the device side (send → HeartbeatAck, or → echo), load generators included.',
        'RSS per session = (RSS with sessions − idle RSS) / sessions up; CPU from /proc/<pid>/stat over the measurement.',
      ],
    }),
  );
}

runMain(main);
