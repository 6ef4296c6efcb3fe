/**
 * bench/enrollment: enrollments per second through one gateway process (new
 * keys, pairing mode with auto-approve: TLS 1.3 handshake + Hello + enrollment
 * through the event log + Welcome), against bare mTLS handshakes per second to a
 * bare node:tls server with the same server certificate and the same device
 * certificates. Usage: npm run bench:enrollment -w @wasmbed/bench -- [--enrollments 2000] [--concurrency 32]
 */
import { compareServers, type BenchEnvironment } from '../support/bench-environment';
import { FleetLogWatch } from '../support/fleet-log';
import { sampleIfKnown, sampleProcess, type ProcessSample } from '../support/proc-stats';
import { latencies, num, p50p99, percentOf, progress, runMain, type Row } from '../support/report';
import type { ServerProcess } from '../support/server-process';
import { sleep } from '../support/sleep';
import type { ConnectResult, Target } from '../support/worker-messages';
import { parseEnrollmentOptions, type EnrollmentOptions } from './options';

// Enrolled devices stay connected until the phase ends; they must not owe heartbeats meanwhile.
const GATEWAY_HEARTBEAT_MS = 600_000;
const LOG_QUIET_MS = 1_000;

interface EnrollResult {
  readonly connect: ConnectResult;
  /** Server CPU from the first dial until its work for them was done. */
  readonly cpuMs: number;
  readonly natsCpuMs?: number;
  /** Gateway only: commits it wrote and when the last landed, after the last Welcome. */
  readonly log?: { readonly commits: number; readonly settledAfterMs: number };
}

const cpuBetween = (a: ProcessSample | undefined, b: ProcessSample | undefined) => (a && b ? b.cpuMs - a.cpuMs : undefined);

async function enrollPhase(env: BenchEnvironment, o: EnrollmentOptions, server: ServerProcess, mode: Target['mode']): Promise<EnrollResult> {
  const log = mode === 'gateway' ? await FleetLogWatch.open(env.natsUrl) : undefined;
  try {
    return await enroll(env, o, server, mode, log);
  } finally {
    await log?.close();
  }
}

async function enroll(env: BenchEnvironment, o: EnrollmentOptions, server: ServerProcess, mode: Target['mode'], log: FleetLogWatch | undefined): Promise<EnrollResult> {
  await sleep(1_000);
  const headBefore = await log?.head();
  const before = sampleProcess(server.pid);
  const natsBefore = sampleIfKnown(env.natsPid);
  progress(`${server.name}: ${o.enrollments} new devices, ${o.concurrency} at a time`);
  const connect = await env.workers.connect(env.targetOf(server, mode), o.enrollments, o.concurrency, null);
  const doneAt = performance.now();
  // The gateway records each session (DeviceConnected) after Welcome: its cost belongs to the enrollment.
  const settled = await log?.settle(LOG_QUIET_MS, 120_000);
  const after = sampleProcess(server.pid);
  const natsAfter = sampleIfKnown(env.natsPid);
  await env.workers.closeAll();
  await server.stop();
  return {
    connect,
    cpuMs: after.cpuMs - before.cpuMs,
    natsCpuMs: cpuBetween(natsBefore, natsAfter),
    log: settled && headBefore !== undefined ? { commits: settled.head - headBefore, settledAfterMs: Math.max(0, settled.lastGrowthAt - doneAt) } : undefined,
  };
}

const perSecond = (r: EnrollResult) => (r.connect.established * 1000) / r.connect.elapsedMs;
const perDevice = (ms: number | undefined, r: EnrollResult) => (ms === undefined || r.connect.established === 0 ? Number.NaN : ms / r.connect.established);

function rows(baseline: EnrollResult, ours: EnrollResult): Row[] {
  const row = (label: string, f: (r: EnrollResult) => string): Row => [label, f(baseline), f(ours)];
  return [
    row('done / failed', (r) => `${r.connect.established} / ${r.connect.failed}`),
    row('per second', (r) => num(perSecond(r), 1)),
    ['  enrollments as % of handshakes (goal >= 70%)', '', percentOf(perSecond(ours), perSecond(baseline))],
    row('dial → ready p50 / p99 (ms)', (r) => p50p99(latencies(r.connect.readyMs))),
    row('server CPU per device (ms)', (r) => num(perDevice(r.cpuMs, r), 2)),
    row('nats-server CPU per device (ms)', (r) => num(perDevice(r.natsCpuMs, r), 2)),
    row('fleet log commits written', (r) => (r.log ? String(r.log.commits) : '-')),
    row('last commit seen after the last Welcome (ms)', (r) => num(r.log?.settledAfterMs)),
  ];
}

async function main(): Promise<void> {
  const o = parseEnrollmentOptions(process.argv.slice(2), process.env);
  console.log(`enrollment: ${o.enrollments} new device keys, ${o.concurrency} in progress at once, ${o.workers} load-generator processes`);
  await compareServers(
    { workers: o.workers, natsUrl: o.natsUrl, gateway: { heartbeatMs: GATEWAY_HEARTBEAT_MS, capacity: o.enrollments + 64 } },
    (env, server, mode) => enrollPhase(env, o, server, mode),
    (baseline, ours) => ({
      columns: ['', 'bare mTLS handshake', 'gateway enrollment'],
      rows: rows(baseline, ours),
      failures: { baseline: baseline.connect.errors, gateway: ours.connect.errors },
      notes: [
        'Ready = TLS handshake done (baseline) or Welcome received (gateway); rates over the dialing time of',
        'the load generators, whose keys, certificates and TLS contexts were built beforehand. Gateway CPU',
        'includes its log writes after Welcome (DeviceConnected), up to the last commit.',
      ],
    }),
  );
}

runMain(main);
