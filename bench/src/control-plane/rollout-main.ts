/**
 * create → all Running: a 64 KiB signed module to N simulated devices through the
 * whole control plane (api admission + module store, event log, app-controller,
 * gateway, devices), beside the same module pushed straight over the device bus
 * (the floor: gateway + devices, no control plane), in the same run on the same fleet.
 *
 *   npm run bench:rollout -- [--devices 1000] [--fleet-processes 4] [--module big-64k] [--raw-again]
 *
 * --raw-again measures the raw device bus a second time after the control plane:
 * then every device already runs two apps, as it ran one during the control plane,
 * so the two raw figures bracket the device-side floor of the control plane's run.
 */
import { parseArgs } from 'node:util';
import type { Subscription } from '@nats-io/transport-node';
import {
  ALL_DEVICE_STATUS_SUBJECTS,
  decodeDeviceStatus,
  putModule,
  sendDeviceCommand,
} from '@wasmbed/device-bus';
import { exampleApp, isExampleAppName, loadExampleApp } from '@wasmbed/example-apps';
import { ApplicationPhase, type GetApplicationResponse } from '@wasmbed/proto';
import { encodeManifest, manifestFromSource, moduleSha256, signManifest } from '@wasmbed/protocol';
import { ed25519KeyPairFromSeed } from '@wasmbed/pki';
import { call, signedApplicationSpec } from '@wasmbed/testing';
import { randomBytes } from 'node:crypto';
import { formatTable, num, percentOf, type Row } from '../support/report';
import { startBenchStack, type BenchStack } from './bench-stack';

interface Options {
  readonly devices: number;
  readonly fleetProcesses: number;
  readonly module: string;
  readonly rawAgain: boolean;
}

function options(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: { devices: { type: 'string' }, 'fleet-processes': { type: 'string' }, module: { type: 'string' }, 'raw-again': { type: 'boolean' } },
    strict: true,
  });
  const int = (name: string, value: string | undefined, fallback: number): number => {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  const module = values.module ?? 'big-64k';
  if (!isExampleAppName(module)) throw new Error(`--module must name an example app, got ${module}`);
  return {
    devices: int('devices', values.devices, 1000),
    fleetProcesses: int('fleet-processes', values['fleet-processes'], 4),
    module,
    rawAgain: values['raw-again'] ?? false,
  };
}

/** Resolves when `count` devices reported DeployResult ok for `appId`; returns ms since `t0`. Rejects after 300 s. */
function deployResults(stack: BenchStack, appId: string, count: number, t0: () => number): { done: Promise<number>; sub: Subscription } {
  const ok = new Set<string>();
  let resolveDone!: (ms: number) => void;
  let rejectDone!: (err: Error) => void;
  const done = new Promise<number>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  const deadline = setTimeout(() => rejectDone(new Error(`only ${ok.size} of ${count} devices reported ${appId} deployed after 300 s`)), 300_000);
  void done.then(() => clearTimeout(deadline), () => undefined);
  const sub = stack.nc.subscribe(ALL_DEVICE_STATUS_SUBJECTS, {
    callback: (_err, msg) => {
      const status = decodeDeviceStatus(msg.data);
      if (status.type === 'DeployResult' && status.appId === appId && status.ok) {
        ok.add(status.deviceId);
        if (ok.size === count) resolveDone(performance.now() - t0());
      }
    },
  });
  return { done, sub };
}

async function rawDeviceBus(stack: BenchStack, names: string[], module: Uint8Array, appName: string, appId: string): Promise<number> {
  const seed = randomBytes(32);
  const app = exampleApp(appName);
  const manifest = encodeManifest(
    manifestFromSource({
      name: appId,
      revision: 1,
      module: { sha256: Buffer.from(moduleSha256(module)).toString('hex'), sizeBytes: module.length },
      entryPoint: app.entryPoint,
      requiredHostFunctions: app.requiredHostFunctions,
      config: { memoryLimitBytes: 4 * 65_536, cpuTimeLimitMs: 0, env: {}, args: [], autoRestart: false, maxRestarts: 0 },
    }),
  );
  const command = {
    type: 'DeployToDevice' as const,
    appId,
    revision: 1,
    manifest: Buffer.from(manifest).toString('base64'),
    signature: Buffer.from(signManifest(manifest, seed)).toString('hex'),
    publisherKey: ed25519KeyPairFromSeed(seed).publicKeyHex,
  };
  let t0 = 0;
  const results = deployResults(stack, appId, names.length, () => t0);
  t0 = performance.now();
  await putModule(stack.nc, module);
  const queue = [...names];
  let late = 0;
  const sender = async (): Promise<void> => {
    for (let name = queue.shift(); name; name = queue.shift()) {
      const reply = await sendDeviceCommand(stack.nc, name, command, { timeoutMs: 60_000 });
      // The gateway stops waiting for a slow device's answer (unavailable), the device carries on and
      // reports its DeployResult, which is what is timed: only a refusal ends the run.
      if (!reply.ok && reply.error.code === 'unavailable') late += 1;
      else if (!reply.ok) throw new Error(`raw deploy to ${name} refused: ${JSON.stringify(reply.error)}`);
    }
  };
  await Promise.all(Array.from({ length: 256 }, sender));
  try {
    return await results.done;
  } finally {
    results.sub.unsubscribe();
    if (late > 0) console.log(`raw (${appId}): ${late} deploys answered late by the gateway (unavailable); their DeployResult was awaited`);
  }
}

interface ControlPlaneTimes {
  /** CreateApplication (module inline) and DeployApplication answered. */
  readonly acceptedMs: number;
  readonly devicesMs: number;
  readonly readModelMs: number;
}

async function throughControlPlane(stack: BenchStack, count: number, module: Uint8Array, appName: string): Promise<ControlPlaneTimes> {
  const app = exampleApp(appName);
  const spec = signedApplicationSpec({
    name: 'bench',
    revision: 1,
    module,
    publisherSeed: randomBytes(32),
    requiredHostFunctions: app.requiredHostFunctions,
    entryPoint: app.entryPoint,
    targets: { kind: { $case: 'allDevices', value: true } },
  });
  let t0 = 0;
  const results = deployResults(stack, 'bench', count, () => t0);
  t0 = performance.now();
  await call((done) => stack.apps.createApplication({ commandId: '', expectedVersion: 0, name: 'bench', spec }, done));
  await call((done) => stack.apps.deployApplication({ commandId: '', expectedVersion: 0, name: 'bench', revision: 0 }, done));
  const acceptedMs = performance.now() - t0;
  const deadline = t0 + 300_000;
  let readModelMs = Number.NaN;
  for (;;) {
    const res = await call<GetApplicationResponse>((done) => stack.apps.getApplication({ name: 'bench' }, done));
    const a = res.application;
    if (a?.phase === ApplicationPhase.APPLICATION_PHASE_RUNNING && a.revisions[0]?.rollout?.counts?.running === count) {
      readModelMs = performance.now() - t0;
      break;
    }
    // A failed rollout will not turn Running: say why at once rather than after the deadline.
    const failed = a?.phase === ApplicationPhase.APPLICATION_PHASE_FAILED;
    if (failed || performance.now() > deadline) {
      const reasons = [...new Set(a?.revisions[0]?.rollout?.failingDevices.map((f) => f.reason))].slice(0, 5);
      const what = failed ? `rollout Failed after ${num(performance.now() - t0)} ms` : 'rollout not Running after 300 s';
      throw new Error(`${what}: ${JSON.stringify(a?.revisions[0]?.rollout?.counts)}; failures: ${JSON.stringify(reasons)}`);
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  const devicesMs = await results.done;
  results.sub.unsubscribe();
  return { acceptedMs, devicesMs, readModelMs };
}

/** Per part, the CPU seconds it used in each phase, from samples taken between the phases. */
function cpuRows(samples: readonly Record<string, number>[], rawAgain: boolean): Row[] {
  const used = (part: string, phase: number) => ((samples[phase + 1][part] - samples[phase][part]) / 1000).toFixed(1);
  const parts = Object.keys(samples[0]);
  const total = (phase: number) => parts.reduce((sum, part) => sum + (samples[phase + 1][part] - samples[phase][part]), 0);
  const rows: Row[] = parts.map((part) => [part, rawAgain ? `${used(part, 0)} / ${used(part, 2)}` : used(part, 0), used(part, 1)]);
  const totalCell = (phase: number) => (total(phase) / 1000).toFixed(1);
  rows.push(['all', rawAgain ? `${totalCell(0)} / ${totalCell(2)}` : totalCell(0), totalCell(1)]);
  return rows;
}

async function main(): Promise<void> {
  const opts = options(process.argv.slice(2));
  const module = loadExampleApp(opts.module as Parameters<typeof loadExampleApp>[0]);
  console.log(`rollout bench: ${opts.devices} simulated devices in ${opts.fleetProcesses} processes, module ${opts.module} (${module.length} bytes)`);
  const started = performance.now();
  const stack = await startBenchStack({ devices: opts.devices, fleetProcesses: opts.fleetProcesses, appController: true, heartbeatMs: 30_000 });
  console.log(`fleet connected in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  try {
    const names = await stack.connectedDevices();
    const cpu = [stack.cpuMs()];
    const rawMs = await rawDeviceBus(stack, names, module, opts.module, 'raw');
    cpu.push(stack.cpuMs());
    const ours = await throughControlPlane(stack, names.length, module, opts.module);
    cpu.push(stack.cpuMs());
    const rawAgainMs = opts.rawAgain ? await rawDeviceBus(stack, names, module, opts.module, 'raw-again') : undefined;
    cpu.push(stack.cpuMs());
    console.log(
      '\n' +
        formatTable(
          ['', 'device bus (raw)', 'control plane'],
          [
            ['create + deploy answered by the api (ms)', '-', num(ours.acceptedMs)],
            ['all devices report DeployResult ok (ms)', num(rawMs), num(ours.devicesMs)],
            ...(rawAgainMs === undefined ? [] : [['the same, raw again after the control plane (ms)', num(rawAgainMs), '-'] as const]),
            ['app Running for all in the read model (ms)', '-', num(ours.readModelMs)],
            ['raw as % of ours (time)', '', percentOf(rawMs, ours.devicesMs)],
          ],
        ),
    );
    console.log(`\napp-controller device commands and replies:\n${(await stack.appControllerCommands()).join('\n')}`);
    console.log('\n' + formatTable(['CPU s used during the phase', opts.rawAgain ? 'raw / raw again' : 'device bus (raw)', 'control plane'], cpuRows(cpu, opts.rawAgain)));
    console.log(
      '\nraw: putModule + DeployToDevice to every device over NATS (256 in flight), timed to the last DeployResult ok.' +
        '\ncontrol plane: CreateApplication (module inline, admission) + DeployApplication through the api, the app-controller' +
        '\nrolls out (all devices, one wave); timed to the last DeployResult ok and to the read model showing the app Running.' +
        (rawAgainMs === undefined ? '' : '\nraw again: the raw deploy of a third app, each device already running two (as the control plane found them running one).'),
    );
  } catch (err) {
    console.error(`app-controller:\n${(await stack.appControllerCommands().catch(() => [])).join('\n')}`);
    // The services log at warn: their last lines usually say why a phase did not finish.
    console.error(`last output of the services and fleets:\n${stack.output.tail(12_000)}`);
    throw err;
  } finally {
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
