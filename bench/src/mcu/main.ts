/**
 * Emulated MCUs on the real stack (nats-server, api, gateway, app-controller,
 * renode-manager as processes; QEMU running firmware/build/<board>/wasmbed.elf):
 *
 *   (a) renode-manager create → Connected → the signed hello Running, per board, broken
 *       into create reply / firmware ready / TLS done / Connected / DeployResult / Running;
 *   (b) N MCUs at once (--count 8,16,32), all heartbeating: per-MCU QEMU RSS and CPU,
 *       and whether every one stays Connected on its session while held;
 *   (c) the raw baseline of the same run: the same ELF booted by QEMU alone to the
 *       firmware's `ready in`, and one such idle QEMU's RSS and CPU.
 *
 *   npm run bench:mcu -w @wasmbed/bench -- [--boards mps2-an385,riscv32-virt] [--runs 3]
 *       [--count 8,16] [--fleet-board mps2-an385] [--hold-seconds 20] [--create-concurrency 4]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LivenessStore, type LivenessRecord } from '@wasmbed/device-bus';
import { exampleApp, loadExampleApp } from '@wasmbed/example-apps';
import { ApplicationPhase, DevicePhase, type GetApplicationResponse } from '@wasmbed/proto';
import { call, signedApplicationSpec } from '@wasmbed/testing';
import { pipelined, summarize } from '../stats';
import { sampleProcess, type ProcessSample } from '../support/proc-stats';
import { formatTable, num, progress, runMain, type Row } from '../support/report';
import { sleep } from '../support/sleep';
import { bootBare, endChild, writeOfflineImage } from './bare-qemu';
import { EMU_PREFIX, startMcuStack, type McuStack } from './mcu-stack';
import { devicePhase, McuWatch, pollUntil } from './mcu-watch';
import { parseMcuBenchOptions, type McuBoard, type McuBenchOptions } from './options';

const HEARTBEAT_MS = 1_000;
const STEP_TIMEOUT_MS = 60_000;
const hello = loadExampleApp('hello');

/** One renode-manager command over NATS; the device's pid from its view. */
async function emu(stack: McuStack, verb: 'create' | 'delete', body: object): Promise<{ pid: number | null }> {
  const msg = await stack.nc.request(`${EMU_PREFIX}.${verb}`, JSON.stringify(body), { timeout: STEP_TIMEOUT_MS });
  const reply = msg.json<{ ok: boolean; device?: { pid: number | null }; error?: { code: string; message: string } }>();
  if (!reply.ok || reply.device === undefined) throw new Error(`renode-manager ${verb} ${JSON.stringify(body)}: ${reply.error?.code}: ${reply.error?.message}`);
  return reply.device;
}

const connected = (stack: McuStack, name: string) => async () => (await devicePhase(stack.devices, name)) === DevicePhase.DEVICE_PHASE_CONNECTED;

interface Timeline {
  readonly created: number;
  readonly ready: number;
  readonly tls: number;
  readonly connected: number;
  readonly deployResult: number;
  readonly running: number;
}

/** (a) one MCU: create → Connected → hello Running; ms from the create request. */
async function createToRunning(stack: McuStack, board: McuBoard, name: string): Promise<Timeline> {
  const watch = new McuWatch(stack.nc, name);
  const appName = `app-${name}`;
  try {
    const t0 = performance.now();
    await emu(stack, 'create', { name, board });
    const created = performance.now() - t0;
    const connectedAt = (await pollUntil(`${name} Connected`, connected(stack, name), STEP_TIMEOUT_MS)) - t0;
    const spec = signedApplicationSpec({
      name: appName,
      revision: 1,
      module: hello,
      publisherSeed: stack.publisherSeed,
      requiredHostFunctions: exampleApp('hello').requiredHostFunctions,
      memoryLimitBytes: exampleApp('hello').minMemoryBytes,
      targets: { kind: { $case: 'deviceNames', value: { names: [name] } } },
    });
    await call((done) => stack.apps.createApplication({ commandId: '', expectedVersion: 0, name: appName, spec }, done));
    await call((done) => stack.apps.deployApplication({ commandId: '', expectedVersion: 0, name: appName, revision: 0 }, done));
    const deployResult = (await pollUntil(`${name}'s DeployResult for ${appName}`, () => watch.deployResult(appName) !== undefined, STEP_TIMEOUT_MS)) - t0;
    const result = watch.deployResult(appName)!.result;
    if (!result.ok) throw new Error(`${name} refused ${appName}: ${result.error?.code}: ${result.error?.message}`);
    const running =
      (await pollUntil(`${appName} Running`, async () => {
        const res = await call<GetApplicationResponse>((done) => stack.apps.getApplication({ name: appName }, done));
        return res.application?.phase === ApplicationPhase.APPLICATION_PHASE_RUNNING;
      }, STEP_TIMEOUT_MS)) - t0;
    const at = (m: 'ready' | 'tls') => (watch.seen.get(m) ?? Number.NaN) - t0;
    return { created, ready: at('ready'), tls: at('tls'), connected: connectedAt, deployResult, running };
  } finally {
    watch.close();
    await emu(stack, 'delete', { name }).catch(() => undefined);
  }
}

interface FleetFigures {
  readonly count: number;
  /** Connected when the hold began (all of them, unless the wait for all timed out). */
  readonly connectedAtHold: number;
  readonly allConnectedMs: number;
  readonly rssMiB: ReturnType<typeof summarize>;
  readonly cpuPercent: ReturnType<typeof summarize>;
  readonly services: Record<string, number>;
  readonly stayed: number;
  readonly heartbeatsPerMcu: number;
}

const cpuPercent = (a: ProcessSample, b: ProcessSample): number => ((b.cpuMs - a.cpuMs) / (b.atMs - a.atMs)) * 100;

/** (b) `count` MCUs at once, held `holdSeconds` once all are Connected. */
async function fleet(stack: McuStack, liveness: LivenessStore, options: McuBenchOptions, count: number): Promise<FleetFigures> {
  const names = Array.from({ length: count }, (_, i) => `f${count}-${i}`);
  const pids = new Map<string, number>();
  try {
    const t0 = performance.now();
    await pipelined(count, options.createConcurrency, async (i) => {
      const view = await emu(stack, 'create', { name: names[i], board: options.fleetBoard });
      if (view.pid !== null) pids.set(names[i]!, view.pid);
    });
    progress(`${count} MCUs created in ${((performance.now() - t0) / 1000).toFixed(1)} s; waiting for all Connected`);
    // On a machine too small for `count`, some never get there: held and reported anyway.
    let connectedCount = 0;
    const allConnected = await pollUntil(`${count} MCUs Connected`, async () => {
      connectedCount = (await Promise.all(names.map((n) => connected(stack, n)()))).filter(Boolean).length;
      return connectedCount === count;
    }, 60_000 + count * 2_000, 250).catch(() => undefined);
    const allConnectedMs = allConnected === undefined ? Number.NaN : allConnected - t0;
    const records = async (): Promise<(LivenessRecord | undefined)[]> => Promise.all(names.map((n) => liveness.get(n)));
    const sample = () => new Map([...pids].map(([n, pid]) => [n, sampleProcess(pid)]));
    const serviceSample = () => Object.fromEntries(Object.entries(stack.pids).flatMap(([k, pid]) => (pid === undefined ? [] : [[k, sampleProcess(pid)]]))) as Record<string, ProcessSample>;
    const [before, servicesBefore, recordsBefore] = [sample(), serviceSample(), await records()];
    progress(`holding ${count} MCUs for ${options.holdSeconds} s`);
    await sleep(options.holdSeconds * 1000);
    const [after, servicesAfter, recordsAfter] = [sample(), serviceSample(), await records()];
    const phases = await Promise.all(names.map((n) => devicePhase(stack.devices, n)));
    // Stayed: Connected now, on the session it had when the hold began, and heartbeating through it.
    const minBeats = Math.floor((options.holdSeconds * 1000) / HEARTBEAT_MS / 2);
    const stayed = names.filter((_, i) => {
      const [b, a] = [recordsBefore[i], recordsAfter[i]];
      return phases[i] === DevicePhase.DEVICE_PHASE_CONNECTED && b !== undefined && a !== undefined && a.sessionId === b.sessionId && a.heartbeatSeq - b.heartbeatSeq >= minBeats;
    }).length;
    const beats = recordsAfter.map((a, i) => (a && recordsBefore[i] && a.sessionId === recordsBefore[i]!.sessionId ? a.heartbeatSeq - recordsBefore[i]!.heartbeatSeq : 0));
    return {
      count,
      connectedAtHold: connectedCount,
      allConnectedMs,
      rssMiB: summarize([...after.values()].map((s) => s.rssKiB / 1024)),
      cpuPercent: summarize([...after].map(([n, s]) => cpuPercent(before.get(n)!, s))),
      services: Object.fromEntries(Object.entries(servicesAfter).map(([k, s]) => [k, cpuPercent(servicesBefore[k]!, s)])),
      stayed,
      heartbeatsPerMcu: beats.reduce((a, b) => a + b, 0) / count,
    };
  } finally {
    await pipelined(count, options.createConcurrency, async (i) => {
      await emu(stack, 'delete', { name: names[i] }).catch(() => undefined);
    });
  }
}

/** (c) the same ELF booted by QEMU alone, `runs` times; then one idle for the hold. */
async function bareBaseline(board: McuBoard, runs: number, holdSeconds: number, image: string) {
  const banner: number[] = [];
  const ready: number[] = [];
  for (let i = 0; i < runs; i++) {
    const boot = await bootBare(board, image);
    banner.push(boot.bannerMs);
    ready.push(boot.readyMs);
    if (i < runs - 1) await endChild(boot.child);
    else {
      const a = sampleProcess(boot.child.pid!);
      await sleep(Math.min(holdSeconds, 10) * 1000);
      const b = sampleProcess(boot.child.pid!);
      await endChild(boot.child);
      return { banner: summarize(banner), ready: summarize(ready), idleRssMiB: b.rssKiB / 1024, idleCpuPercent: cpuPercent(a, b) };
    }
  }
  throw new Error('--runs must be at least 1');
}

const ms = (s: ReturnType<typeof summarize>) => (s.count === 0 ? '-' : `${num(s.p50)} / ${num(s.max)}`);

async function main(): Promise<void> {
  const options = parseMcuBenchOptions(process.argv.slice(2));
  const scratch = await mkdtemp(join(tmpdir(), 'wasmbed-bench-mcu-bare-'));
  const image = join(scratch, 'offline.bin');
  await writeOfflineImage(image);
  const boards = [...new Set([...options.boards, ...(options.counts.length > 0 ? [options.fleetBoard] : [])])];
  const bare = new Map<McuBoard, Awaited<ReturnType<typeof bareBaseline>>>();
  for (const board of boards) {
    progress(`(c) bare QEMU boots of ${board}`);
    bare.set(board, await bareBaseline(board, options.runs, options.holdSeconds, image));
  }
  await rm(scratch, { recursive: true, force: true });

  progress('starting nats-server, api, gateway, app-controller, renode-manager');
  const stack = await startMcuStack({ maxDevices: Math.max(1, ...options.counts), heartbeatMs: HEARTBEAT_MS });
  const liveness = await LivenessStore.open(stack.nc);
  const timelines = new Map<McuBoard, Timeline[]>();
  const fleets: FleetFigures[] = [];
  try {
    for (const board of options.boards) {
      const runs: Timeline[] = [];
      for (let i = 0; i < options.runs; i++) {
        progress(`(a) ${board} run ${i + 1}/${options.runs}: create → Connected → hello Running`);
        runs.push(await createToRunning(stack, board, `${board === 'mps2-an385' ? 'arm' : 'rv'}-${i}`));
      }
      timelines.set(board, runs);
    }
    for (const count of options.counts) {
      progress(`(b) ${count} × ${options.fleetBoard}`);
      // A size this machine cannot hold is reported, and the sizes measured before it are kept.
      const figures = await fleet(stack, liveness, options, count).catch((err: Error) => progress(`(b) ${count} MCUs failed: ${err.message}`));
      if (figures) fleets.push(figures);
    }
  } catch (err) {
    console.error(stack.output.tail(8_000));
    throw err;
  } finally {
    await stack.stop();
  }

  console.log(`\n(a) renode-manager create → Connected → signed hello Running (ms from the create request, p50 / max of ${options.runs}); goal: Running < 3000`);
  for (const [board, runs] of timelines) {
    const col = (k: keyof Timeline) => ms(summarize(runs.map((r) => r[k]).filter(Number.isFinite)));
    const b = bare.get(board)!;
    const rows: Row[] = [
      ['create answered (identity, registration, QEMU attached)', '-', col('created')],
      ["firmware 'ready in' on the console", ms(b.ready), col('ready')],
      ['TLS 1.3 handshake done (MCU console)', '-', col('tls')],
      ['Connected in the api read model', '-', col('connected')],
      ["MCU's DeployResult ok (deploy through the api)", '-', col('deployResult')],
      ['app Running in the api read model', '-', col('running')],
      ['  of which deploy (Connected → Running)', '-', ms(summarize(runs.map((r) => r.running - r.connected)))],
    ];
    console.log(`\n${board}\n${formatTable(['', 'bare QEMU', 'stack'], rows)}`);
  }
  if (fleets.length > 0) {
    const b = bare.get(options.fleetBoard)!;
    console.log(`\n(b) ${options.fleetBoard} MCUs at once, each heartbeating every ${HEARTBEAT_MS} ms, held ${options.holdSeconds} s once all Connected`);
    const rows: Row[] = [['one idle QEMU, no platform (baseline)', `${num(b.idleRssMiB, 1)} MiB`, `${num(b.idleCpuPercent, 1)} %`]];
    for (const f of fleets) {
      rows.push(
        [`${f.count} MCUs: stayed Connected on their session`, `${f.stayed}/${f.count}`, `${num(f.heartbeatsPerMcu, 1)} heartbeats each`],
        [
          `${f.count} MCUs: create → all Connected`,
          `${f.connectedAtHold}/${f.count} at hold`,
          Number.isFinite(f.allConnectedMs) ? `${num(f.allConnectedMs / 1000, 1)} s` : `not all within ${60 + f.count * 2} s`,
        ],
        [`${f.count} MCUs: QEMU RSS per MCU (mean / max)`, '-', `${num(f.rssMiB.mean, 1)} / ${num(f.rssMiB.max, 1)} MiB`],
        [`${f.count} MCUs: QEMU CPU per MCU (mean / max, % of a core)`, '-', `${num(f.cpuPercent.mean, 1)} / ${num(f.cpuPercent.max, 1)} %`],
        [`${f.count} MCUs: all QEMUs together`, '-', `${num(f.cpuPercent.mean * f.count, 0)} % of a core`],
        [`${f.count} MCUs: services (% of a core)`, '-', Object.entries(f.services).map(([k, v]) => `${k} ${num(v, 1)}`).join(', ')],
      );
    }
    console.log(formatTable(['', 'baseline / stayed', 'figure'], rows));
  }
  console.log(
    `\n(c) baseline: the same ELF under QEMU alone (offline provisioning, console on stdout), spawn → banner p50 / max: ${[...bare]
      .map(([board, b]) => `${board} ${ms(b.banner)} ms`)
      .join(', ')}`,
  );
}

runMain(main);
