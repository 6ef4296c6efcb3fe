import { applicationDecider, deviceDecider, type ApplicationCommand, type Device } from '@wasmbed/domain';
import { ApplicationPhase, DeviceDeploymentPhase, RolloutPhase } from '@wasmbed/proto';
import { MemoryDocumentStore } from '@wasmbed/read-models';
import { at, history, META } from '../test-support/domain';
import { ProjectionDriver } from '../test-support/projection-driver';
import { toApplicationMessage } from '../views/application-view';
import { toDeviceMessage } from '../views/device-view';
import { appsProjection } from './apps-projection';
import { COLLECTIONS, type ApplicationDoc, type DeploymentsDoc, type DeviceDoc } from './documents';

const SHA = '5a'.repeat(32);
const spec = {
  module: { sha256: SHA, sizeBytes: 1000, uri: 'https://m.example/a.wasm' },
  manifestSignature: '11'.repeat(64),
  publisherKey: '22'.repeat(32),
  entryPoint: '_start',
  config: { memoryLimitBytes: 4096, cpuTimeLimitMs: 0 },
  targets: { deviceNames: ['d1', 'd2', 'd3'] },
  strategy: { canary: 1, batchSize: 2, healthGateSeconds: 0, failureThreshold: 0 },
};

describe('appsProjection', () => {
  const store = new MemoryDocumentStore();
  const driver = new ProjectionDriver(appsProjection, store, 'apps');
  const appDoc = async () => (await store.get<ApplicationDoc>(COLLECTIONS.applications, 'app'))?.doc;
  const deployments = async (device: string) => (await store.get<DeploymentsDoc>(COLLECTIONS.deployments, device))?.doc;
  const send = async (type: ApplicationCommand['type'], data: Record<string, unknown>, metadata = META) => {
    const command = { type, data: { applicationId: 'app', ...data }, metadata } as ApplicationCommand;
    const events = applicationDecider.decide(command, (await appDoc())?.app ?? { phase: 'Initial' });
    return driver.commit({ aggregateType: 'application', aggregateId: 'app' }, events);
  };

  it('tracks a rollout per revision: waves, counts per phase and failing devices', async () => {
    await send('CreateApplication', { spec });
    expect(toApplicationMessage((await appDoc())!)).toMatchObject({ phase: ApplicationPhase.APPLICATION_PHASE_CREATING, latestRevision: 1, deployedRevision: 0 });

    await send('DeployApplication', { targets: ['d1', 'd2', 'd3'] }, at(1));
    await send('RecordDeviceDeploymentStarted', { device: 'd1', revision: 1 }, at(2));
    await send('RecordDeviceRunning', { device: 'd1', revision: 1, sha256: SHA }, at(3));
    await send('AdvanceWave', { rollout: 1, waveIndex: 0 }, at(4));
    await send('RecordDeviceDeploymentStarted', { device: 'd3', revision: 1 }, at(5));
    const failed = await send('RecordDeviceFailed', { device: 'd2', revision: 1, reason: 'trap: out of bounds' }, at(6));

    const app = toApplicationMessage((await appDoc())!);
    expect(app).toMatchObject({ phase: ApplicationPhase.APPLICATION_PHASE_FAILED, deployedRevision: 1, version: failed, updatedAt: new Date(META.now) });
    expect(app.revisions[0].rollout).toEqual({
      phase: RolloutPhase.ROLLOUT_PHASE_FAILED,
      currentWave: 1,
      waves: [
        { index: 0, devices: ['d1'] },
        { index: 1, devices: ['d2', 'd3'] },
      ],
      counts: { pending: 0, deploying: 1, running: 1, failed: 1, stopped: 0 },
      failingDevices: [{ device: 'd2', reason: 'trap: out of bounds', failedAt: new Date(at(6).now) }],
      message: '1 of 2 devices failed in wave 1 (at most 0 tolerated)',
      startedAt: new Date(at(1).now),
      finishedAt: new Date(at(6).now),
      strategy: { canary: 1, batch: { $case: 'batchCount', value: 2 }, healthGateSeconds: 0, failureThreshold: 0 },
    });

    // What runs where, as each device sees it.
    expect((await deployments('d2'))?.applications.app).toEqual({ revision: 1, status: 'Failed', message: 'trap: out of bounds', updatedAt: at(6).now });
    const d1 = history(deviceDecider, [{ type: 'RegisterDevice', data: { deviceId: 'd1', publicKey: '33'.repeat(32), board: 'b', architecture: 'a' }, metadata: META }]);
    const doc: DeviceDoc = { device: d1.state as Device, preferredGateway: null, gateway: null, version: 1 };
    expect(toDeviceMessage(doc, await deployments('d1')).applications).toEqual([
      { application: 'app', revision: 1, phase: DeviceDeploymentPhase.DEVICE_DEPLOYMENT_PHASE_RUNNING, message: '', updatedAt: new Date(at(3).now) },
    ]);
  });

  it('marks devices stopped, then drops the application and its device entries when deleted', async () => {
    await send('StopApplication', {}, at(10));
    for (const device of ['d1', 'd2', 'd3']) await send('RecordDeviceStopped', { device }, at(11));
    expect((await appDoc())?.app.phase).toBe('Stopped');
    expect((await deployments('d1'))?.applications.app.status).toBe('Stopped');
    expect(toApplicationMessage((await appDoc())!).revisions[0].rollout?.counts).toEqual({ pending: 0, deploying: 0, running: 0, failed: 0, stopped: 3 });

    await send('DeleteApplication', {}, at(12));
    expect(await appDoc()).toBeUndefined();
    expect(await deployments('d1')).toBeUndefined();
    expect(await deployments('d3')).toBeUndefined();
  });
});
