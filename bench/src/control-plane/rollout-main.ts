/**
 * create → all Running: a 64 KiB signed module to N simulated devices through the
 * whole control plane (api admission + module store, event log, app-controller,
 * gateway, devices), beside the same module pushed straight over the device bus
 * (the floor: gateway + devices, no control plane), in the same run on the same fleet.
 *
 *   npm run bench:rollout -- [--devices 1000] [--fleet-processes 4] [--module big-64k]
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
import { formatTable, num, percentOf } from '../support/report';
import { startBenchStack, type BenchStack } from './bench-stack';

interface Options {
  readonly devices: number;
  readonly fleetProcesses: number;
  readonly module: string;
}

function options(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: { devices: { type: 'string' }, 'fleet-processes': { type: 'string' }, module: { type: 'string' } },
    strict: true,
  });
  const int = (name: string, value: string | undefined, fallback: number): number => {
    const n = value === undefined ? fallback : Number(value);
    if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} must be a positive integer`);
    return n;
  };
  const module = values.module ?? 'big-64k';
  if (!isExampleAppName(module)) throw new Error(`--module must name an example app, got ${module}`);
  return { devices: int('devices', values.devices, 1000), fleetProcesses: int('fleet-processes', values['fleet-processes'], 4), module };
}

/** Resolves when `count` devices reported DeployResult ok for `appId`; returns ms since `t0`. */
function deployResults(stack: BenchStack, appId: string, count: number, t0: () => number): { done: Promise<number>; sub: Subscription } {
  const ok = new Set<string>();
  let resolveDone!: (ms: number) => void;
  const done = new Promise<number>((r) => (resolveDone = r));
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

async function rawDeviceBus(stack: BenchStack, names: string[], module: Uint8Array, appName: string): Promise<number> {
  const seed = randomBytes(32);
  const app = exampleApp(appName);
  const manifest = encodeManifest(
    manifestFromSource({
      name: 'raw',
      revision: 1,
      module: { sha256: Buffer.from(moduleSha256(module)).toString('hex'), sizeBytes: module.length },
      entryPoint: app.entryPoint,
      requiredHostFunctions: app.requiredHostFunctions,
      config: { memoryLimitBytes: 4 * 65_536, cpuTimeLimitMs: 0, env: {}, args: [], autoRestart: false, maxRestarts: 0 },
    }),
  );
  const command = {
    type: 'DeployToDevice' as const,
    appId: 'raw',
    revision: 1,
    manifest: Buffer.from(manifest).toString('base64'),
    signature: Buffer.from(signManifest(manifest, seed)).toString('hex'),
    publisherKey: ed25519KeyPairFromSeed(seed).publicKeyHex,
  };
  let t0 = 0;
  const results = deployResults(stack, 'raw', names.length, () => t0);
  t0 = performance.now();
  await putModule(stack.nc, module);
  const queue = [...names];
  const sender = async (): Promise<void> => {
    for (let name = queue.shift(); name; name = queue.shift()) {
      const reply = await sendDeviceCommand(stack.nc, name, command, { timeoutMs: 60_000 });
      if (!reply.ok) throw new Error(`raw deploy to ${name} refused: ${JSON.stringify(reply.error)}`);
    }
  };
  await Promise.all(Array.from({ length: 256 }, sender));
  const ms = await results.done;
  results.sub.unsubscribe();
  return ms;
}

async function throughControlPlane(stack: BenchStack, count: number, module: Uint8Array, appName: string): Promise<{ devicesMs: number; readModelMs: number }> {
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
  const deadline = t0 + 300_000;
  let readModelMs = Number.NaN;
  for (;;) {
    const res = await call<GetApplicationResponse>((done) => stack.apps.getApplication({ name: 'bench' }, done));
    const a = res.application;
    if (a?.phase === ApplicationPhase.APPLICATION_PHASE_RUNNING && a.revisions[0]?.rollout?.counts?.running === count) {
      readModelMs = performance.now() - t0;
      break;
    }
    if (performance.now() > deadline) throw new Error(`rollout not Running after 300 s: ${JSON.stringify(a?.revisions[0]?.rollout?.counts)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  const devicesMs = await results.done;
  results.sub.unsubscribe();
  return { devicesMs, readModelMs };
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
    const rawMs = await rawDeviceBus(stack, names, module, opts.module);
    const ours = await throughControlPlane(stack, names.length, module, opts.module);
    console.log(
      '\n' +
        formatTable(
          ['', 'device bus (raw)', 'control plane'],
          [
            ['all devices report DeployResult ok (ms)', num(rawMs), num(ours.devicesMs)],
            ['app Running for all in the read model (ms)', '-', num(ours.readModelMs)],
            ['raw as % of ours (time)', '', percentOf(rawMs, ours.devicesMs)],
          ],
        ),
    );
    console.log(
      '\nraw: putModule + DeployToDevice to every device over NATS (256 in flight), timed to the last DeployResult ok.' +
        '\ncontrol plane: CreateApplication (module inline, admission) + DeployApplication through the api, the app-controller' +
        '\nrolls out (all devices, one wave); timed to the last DeployResult ok and to the read model showing the app Running.',
    );
  } finally {
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
