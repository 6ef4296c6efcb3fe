/**
 * The controller against the real device path: nats-server, the built gateway as a
 * process, simulated devices over TLS 1.3 running the example WASM apps. The event log
 * is written as the api would (create, update, deploy, stop, delete). The cases run in
 * order on one fleet: d1..d3 labelled role=sensor, d4 joins later.
 */
import { randomBytes } from 'node:crypto';
import { deviceDeployment, type Application, type ApplicationEvent, type ApplicationSpecInput, type RolloutStrategy, type TargetSelection } from '@wasmbed/domain';
import { exampleApp, loadExampleApp, type ExampleAppName } from '@wasmbed/example-apps';
import { createJsonLogger } from '@wasmbed/service-kit';
import { startAppController, type RunningAppController } from './app';
import type { AppControllerConfig } from './config';
import { signedSpec } from './test-support/publisher';
import { eventually } from '@wasmbed/testing';
import { startControllerStack, type ControllerStack, type TestDevice } from './test-support/stack';

jest.setTimeout(180_000);

const publisherSeed = new Uint8Array(randomBytes(32));
let stack: ControllerStack;
let controller: RunningAppController | undefined;
const controllerLines: string[] = [];
const devices: Record<string, TestDevice> = {};
const logs = () => `${stack.logs()}\n${controllerLines.slice(-300).join('')}`;

async function startController(): Promise<RunningAppController> {
  const config: AppControllerConfig = {
    natsUrl: stack.nats.url,
    http: { host: '127.0.0.1', port: 0 },
    reconcileMs: 200,
    commandTimeoutMs: 10_000,
    // A long first retry: a slow simulated install must never earn a second Deploy here.
    planner: { deployTimeoutMs: 60_000, deleteTimeoutMs: 10_000, retry: { initialMs: 5_000, maxMs: 10_000 }, driftGraceMs: 1_000 },
    logLevel: 'debug',
  };
  const logger = createJsonLogger('app-controller', 'debug', (line) => controllerLines.push(line));
  controller = await startAppController(config, { logger, processMetrics: false, shutdownGraceMs: 15_000 });
  return controller;
}

/** Puts the example app's module in the store and signs revision `revision` of `appId` over it. */
async function release(appId: string, revision: number, app: ExampleAppName, targets: TargetSelection, strategy: RolloutStrategy): Promise<ApplicationSpecInput> {
  const bytes = loadExampleApp(app);
  const sha256 = await stack.putModule(bytes);
  const unsigned = {
    module: { sha256, sizeBytes: bytes.length },
    entryPoint: 'run',
    requiredHostFunctions: [...exampleApp(app).requiredHostFunctions],
    config: { memoryLimitBytes: 1024 * 1024, cpuTimeLimitMs: 0 },
    targets: targets as ApplicationSpecInput['targets'],
    strategy,
  };
  return signedSpec(appId, revision, unsigned, publisherSeed);
}

function application(appId: string, what: string, accept: (app: Application) => boolean, timeoutMs = 60_000): Promise<Application> {
  return eventually(
    `${appId}: ${what}`,
    async () => {
      const app = await stack.application(appId);
      return app !== undefined && accept(app) ? app : undefined;
    },
    timeoutMs,
    logs,
  );
}

function runs(deviceId: string, appId: string, revision: number, sha256: string): Promise<unknown> {
  return eventually(
    `${deviceId} running ${appId} revision ${revision}`,
    async () => {
      const app = await stack.attestedApp(deviceId, appId);
      return app?.state === 'running' && app.revision === revision && app.sha256 === sha256;
    },
    30_000,
    logs,
  );
}

const deploysOf = (key: string, ids: string[]) => ids.map((id) => devices[id].deploys.get(key) ?? 0);

beforeAll(async () => {
  stack = await startControllerStack();
  for (const id of ['d1', 'd2', 'd3']) devices[id] = await stack.addDevice(id, { role: 'sensor' });
  await startController();
}, 120_000);

afterAll(async () => {
  await controller?.stop();
  await stack?.stop();
}, 60_000);

describe('app-controller on the real device path', () => {
  let v1: ApplicationSpecInput;

  it('is ready once it has caught up, and serves probes and metrics', async () => {
    const base = `http://127.0.0.1:${controller!.httpPort}`;
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { nats: 'ok', liveness: 'ok', fleetLog: 'ok', appsLog: 'ok' } });
    expect(await (await fetch(`${base}/metrics`)).text()).toContain('wasmbed_app_controller_reconcile_seconds');
  });

  it('rolls a revision out wave by wave; every device ends running its module, each deployed once', async () => {
    v1 = await release('thermo', 1, 'hello', { selector: { role: 'sensor' } }, { canary: 1, batchSize: 2, healthGateSeconds: 1, failureThreshold: 0 });
    await stack.app('CreateApplication', { applicationId: 'thermo', spec: v1 });
    await stack.app('DeployApplication', { applicationId: 'thermo', targets: ['d1', 'd2', 'd3'] });

    const app = await application('thermo', 'Running', (a) => a.phase === 'Running');
    expect(app.rollout).toMatchObject({ rollout: 1, revision: 1, status: 'Completed', waves: [['d1'], ['d2', 'd3']] });
    for (const id of ['d1', 'd2', 'd3']) {
      expect(deviceDeployment(app, id)).toMatchObject({ rollout: 1, revision: 1, status: 'Running' });
      await runs(id, 'thermo', 1, v1.module.sha256);
    }
    expect(deploysOf('thermo@1', ['d1', 'd2', 'd3'])).toEqual([1, 1, 1]);

    // Each device's start was in the log before its Deploy arrived.
    const { events: recorded } = await stack.store.readStream<ApplicationEvent>({ aggregateType: 'application', aggregateId: 'thermo' });
    for (const id of ['d1', 'd2', 'd3']) {
      const start = recorded.find((e) => e.type === 'DeviceDeploymentStarted' && (e.data as { device: string }).device === id);
      const deploy = devices[id].received.find((r) => r.key === 'thermo@1');
      expect(start !== undefined && deploy !== undefined && Date.parse(start.storedAt) <= deploy.at).toBe(true);
    }

    // The second wave started only after the canary's wave completed (its gate passed).
    const events = await stack.applicationEvents('thermo');
    const canaryDone = events.findIndex((e) => e.type === 'WaveCompleted');
    const secondWave = events.findIndex((e) => e.type === 'DeviceDeploymentStarted' && e.data.device === 'd2');
    expect(canaryDone).toBeGreaterThan(-1);
    expect(secondWave).toBeGreaterThan(canaryDone);
  });

  it('gives the module back to a device that lost it (a reboot), without a new rollout', async () => {
    await stack.reboot(devices.d3);
    await runs('d3', 'thermo', 1, v1.module.sha256);
    expect(deploysOf('thermo@1', ['d1', 'd2', 'd3'])).toEqual([1, 1, 2]);
    const app = await stack.application('thermo');
    expect(app).toMatchObject({ phase: 'Running', rollout: { rollout: 1 } });
    const metrics = await (await fetch(`http://127.0.0.1:${controller!.httpPort}/metrics`)).text();
    expect(metrics).toMatch(/wasmbed_app_controller_deploys_sent_total\{purpose="drift"\} 1\b/);
  });

  it('deploys to a device that joins the selection, recording the others Running without a Deploy', async () => {
    devices.d4 = await stack.addDevice('d4', { role: 'sensor' });
    const app = await application('thermo', 'rolled out to d4', (a) => a.phase === 'Running' && (a.rollout?.targets.includes('d4') ?? false));
    expect(app.rollout).toMatchObject({ rollout: 2, revision: 1, kind: 'deploy', targets: ['d1', 'd2', 'd3', 'd4'] });
    expect(deviceDeployment(app, 'd4')).toMatchObject({ rollout: 2, status: 'Running' });
    await runs('d4', 'thermo', 1, v1.module.sha256);
    expect(deploysOf('thermo@1', ['d1', 'd2', 'd3', 'd4'])).toEqual([1, 1, 2, 1]);
  });

  it('rolls a trapping revision back automatically; the devices end on the old revision', async () => {
    const v2 = await release('thermo', 2, 'trap', { selector: { role: 'sensor' } }, { canary: 1, batchSize: { percent: 100 }, healthGateSeconds: 2, failureThreshold: 0 });
    await stack.app('UpdateApplication', { applicationId: 'thermo', spec: v2 });
    await stack.app('DeployApplication', { applicationId: 'thermo', revision: 2, targets: ['d1', 'd2', 'd3', 'd4'] });

    const app = await application('thermo', 'rolled back and Running', (a) => a.rollout?.kind === 'rollback' && a.phase === 'Running');
    expect(app.rollout).toMatchObject({ rollout: 4, revision: 1, status: 'Completed' });
    const events = await stack.applicationEvents('thermo');
    expect(events.find((e) => e.type === 'RolloutFailed')?.data).toMatchObject({ rollout: 3, revision: 2, failedDevices: ['d1'], rollbackTo: 1 });
    expect(events.find((e) => e.type === 'RolloutRolledBack')?.data).toMatchObject({ rollout: 3, toRevision: 1, automatic: true });
    for (const id of ['d1', 'd2', 'd3', 'd4']) await runs(id, 'thermo', 1, v1.module.sha256);
    // Only the canary ever got revision 2; only it needed revision 1 again.
    expect(deploysOf('thermo@2', ['d1', 'd2', 'd3', 'd4'])).toEqual([1, 0, 0, 0]);
    expect(deploysOf('thermo@1', ['d1', 'd2', 'd3', 'd4'])).toEqual([2, 1, 2, 1]);
  });

  it('carries on after a restart mid-rollout without sending any device a second Deploy', async () => {
    const spec = await release('beacon', 1, 'hello', { deviceNames: ['d1', 'd2', 'd3'] }, { canary: 1, batchSize: 1, healthGateSeconds: 1, failureThreshold: 0 });
    // Stop the controller as soon as the second wave's deployment is recorded started.
    let sawStart: () => void = () => undefined;
    const started = new Promise<void>((resolve) => (sawStart = resolve));
    const watch = await stack.store.subscribe<ApplicationEvent>({
      context: 'apps',
      afterPosition: await stack.store.headPosition('apps'),
      onCommit: async (events) => {
        if (events.some((e) => e.stream.aggregateId === 'beacon' && e.type === 'DeviceDeploymentStarted' && (e.data as { device: string }).device === 'd2')) sawStart();
      },
    });
    await stack.app('CreateApplication', { applicationId: 'beacon', spec });
    await stack.app('DeployApplication', { applicationId: 'beacon', targets: ['d1', 'd2', 'd3'] });
    await started;
    await watch.stop();
    await controller!.stop();
    expect((await stack.application('beacon'))?.phase).toBe('Deploying');

    await startController();
    const app = await application('beacon', 'Running', (a) => a.phase === 'Running');
    expect(app.rollout).toMatchObject({ rollout: 1, status: 'Completed', completedWaves: 3 });
    for (const id of ['d1', 'd2', 'd3']) await runs(id, 'beacon', 1, spec.module.sha256);
    expect(deploysOf('beacon@1', ['d1', 'd2', 'd3'])).toEqual([1, 1, 1]);
    const starts = (await stack.applicationEvents('beacon')).flatMap((e) => (e.type === 'DeviceDeploymentStarted' ? [e.data.device] : []));
    expect(starts).toEqual(['d1', 'd2', 'd3']);
  });

  it('treats an offline device as a transport problem: not failed, and deployed as soon as it connects', async () => {
    const d5 = await stack.addDevice('d5', {}, { connect: false });
    const spec = await release('relay', 1, 'hello', { deviceNames: ['d5'] }, { canary: 0, batchSize: 1, healthGateSeconds: 0, failureThreshold: 0 });
    await stack.app('CreateApplication', { applicationId: 'relay', spec });
    await stack.app('DeployApplication', { applicationId: 'relay', targets: ['d5'] });
    await eventually(
      'a Deploy to the offline device answered as a transport problem',
      async () => /wasmbed_app_controller_device_replies_total\{command="deploy",reply="transport"\} [1-9]/.test(await (await fetch(`http://127.0.0.1:${controller!.httpPort}/metrics`)).text()),
      30_000,
      logs,
    );
    const relay = await stack.application('relay');
    expect(relay && deviceDeployment(relay, 'd5')).toMatchObject({ status: 'Deploying' });

    await stack.connect(d5);
    await application('relay', 'Running', (a) => a.phase === 'Running', 30_000);
    await runs('d5', 'relay', 1, spec.module.sha256);
    expect(d5.deploys.get('relay@1')).toBe(1);
  });

  it('stops an application on every device, then deletes it', async () => {
    await stack.app('StopApplication', { applicationId: 'beacon' });
    await application('beacon', 'Stopped', (a) => a.phase === 'Stopped', 30_000);
    for (const id of ['d1', 'd2', 'd3']) expect((await stack.attestedApp(id, 'beacon'))?.state).toBe('stopped');
    await stack.app('DeleteApplication', { applicationId: 'beacon' });
    expect((await stack.application('beacon'))?.phase).toBe('Deleted');
    // The other application is untouched.
    expect((await stack.attestedApp('d1', 'thermo'))?.state).toBe('running');
  });
});
