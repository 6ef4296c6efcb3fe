import { APP, AppHistory, SETTINGS, SHA_1, at, attempt, attested, commands, deploys, device, specInput, stops, viewOf } from '../test-support/views';
import { plan } from './plan';

const lab = { labels: { env: 'lab' } };
const selectorSpec = specInput({ targets: { selector: { env: 'lab' } }, strategy: { canary: 0, batchSize: { percent: 100 }, healthGateSeconds: 0, failureThreshold: 0 } });

/** A selector app completed on d1 and d2 at 10 s. */
function settledOn(devices: string[] = ['d1', 'd2'], spec = selectorSpec) {
  let history = AppHistory.created(spec).run('DeployApplication', { targets: devices }, at(1));
  for (const d of devices) history = history.run('RecordDeviceRunning', { device: d, revision: 1, sha256: SHA_1 }, at(5));
  return history.run('AdvanceWave', { rollout: 1, waveIndex: 0 }, at(10));
}
const healthy = attested([[APP, 1, SHA_1, 'running', at(4)]]);
const fleet = (...extra: ReturnType<typeof device>[]) => [device('d1', lab), device('d2', lab), ...extra];

describe('target re-evaluation', () => {
  it('changes nothing while the eligible devices are the targets', () => {
    expect(plan(viewOf({ apps: [settledOn()], devices: fleet(device('d9')), attested: { d1: healthy, d2: healthy } }), at(20), SETTINGS)).toEqual([]);
  });

  it('deploys the current revision to the new target list when a matching device joins', () => {
    const view = viewOf({ apps: [settledOn()], devices: fleet(device('d3', lab)), attested: { d1: healthy, d2: healthy } });
    expect(commands(plan(view, at(20), SETTINGS))).toEqual([{ type: 'DeployApplication', data: { applicationId: APP, revision: 1, targets: ['d1', 'd2', 'd3'] } }]);
  });

  it("keeps the api's eligibility rule: enrolled, labels match, capabilities reported, able to run the revision", () => {
    const capabilities = device('x').capabilities!;
    const unfit = [
      device('d4', { ...lab, capabilities: { ...capabilities, hostFunctions: ['wasmbed.sleep_ms'] } }),
      device('d5', { ...lab, status: 'Pending' }),
      device('d6', { ...lab, capabilities: { ...capabilities, maxModuleBytes: 1024 } }),
      device('d7', { ...lab, capabilities: { ...capabilities, ramBytes: 32768 } }),
      device('d8', { ...lab, capabilities: null }),
    ];
    const view = viewOf({ apps: [settledOn()], devices: fleet(...unfit), attested: { d1: healthy, d2: healthy } });
    expect(plan(view, at(20), SETTINGS)).toEqual([]);
  });

  it('deploys without the device that left the selection (stopping the app there waits for the new rollout)', () => {
    const view = viewOf({ apps: [settledOn()], devices: [device('d1', lab), device('d2', { labels: { env: 'prod' } })], attested: { d1: healthy, d2: healthy } });
    const actions = plan(view, at(20), SETTINGS);
    expect(commands(actions)).toEqual([{ type: 'DeployApplication', data: { applicationId: APP, revision: 1, targets: ['d1'] } }]);
    // The stop follows once the new rollout no longer names d2 (here: the rollout still does).
    expect(stops(actions)).toEqual([]);
  });

  it('never re-resolves named devices', () => {
    const named = specInput({ targets: { deviceNames: ['d1', 'd2'] }, strategy: selectorSpec.strategy });
    expect(plan(viewOf({ apps: [settledOn(['d1', 'd2'], named)], devices: fleet(device('d3', lab)), attested: { d1: healthy, d2: healthy } }), at(20), SETTINGS)).toEqual([]);
  });

  it('records devices that already run the revision Running in the new rollout, and deploys only the newcomer', () => {
    const retargeted = settledOn().run('DeployApplication', { revision: 1, targets: ['d1', 'd2', 'd3'] }, at(20));
    const view = viewOf({ apps: [retargeted], devices: fleet(device('d3', lab)), attested: { d1: healthy, d2: healthy, d3: attested() } });
    const actions = plan(view, at(20), SETTINGS);
    expect(commands(actions).map((c) => [c.type, 'device' in c.data ? c.data.device : null])).toEqual([
      ['RecordDeviceRunning', 'd1'],
      ['RecordDeviceRunning', 'd2'],
    ]);
    expect(deploys(actions)).toEqual([expect.objectContaining({ device: 'd3', rollout: 2, recordStarted: true })]);
  });
});

describe('devices no longer targeted', () => {
  /** Deployed to d1 and d2, then re-targeted to d1 only (completed). */
  const shrunk = () => settledOn().run('DeployApplication', { revision: 1, targets: ['d1'] }, at(20)).run('RecordDeviceRunning', { device: 'd1', revision: 1, sha256: SHA_1 }, at(21)).run('AdvanceWave', { rollout: 2, waveIndex: 0 }, at(22));
  const fleetD1 = [device('d1', lab), device('d2', { labels: { env: 'prod' } })];

  it('are stopped while they still run the app, with the back-off, and only while connected', () => {
    expect(shrunk().app.phase).toBe('Running');
    expect(plan(viewOf({ apps: [shrunk()], devices: fleetD1, attested: { d1: healthy, d2: healthy } }), at(30), SETTINGS)).toEqual([
      { kind: 'stop', appId: APP, device: 'd2', purpose: 'orphan', scope: 'orphan' },
    ]);
    const sent = attempt('stop', 'orphan', { lastSentAt: at(30) });
    expect(plan(viewOf({ apps: [shrunk()], devices: fleetD1, attested: { d1: healthy, d2: healthy }, attempts: { 'stop/d2': sent } }), at(31), SETTINGS)).toEqual([]);
    expect(plan(viewOf({ apps: [shrunk()], devices: fleetD1, attested: { d1: healthy } }), at(30), SETTINGS)).toEqual([]);
  });

  it('are left alone once the app is stopped there', () => {
    const stopped = attested([[APP, 1, SHA_1, 'stopped', at(31)]]);
    expect(plan(viewOf({ apps: [shrunk()], devices: fleetD1, attested: { d1: healthy, d2: stopped } }), at(40), SETTINGS)).toEqual([]);
  });
});
