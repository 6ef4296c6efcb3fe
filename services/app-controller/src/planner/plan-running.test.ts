import { APP, AppHistory, SETTINGS, SHA_1, SHA_2, at, attempt, attested, commands, deploys, reports, specInput, viewOf } from '../test-support/views';
import { plan } from './plan';

/** Revision 1 completed on d1 and d2 (one wave, no gate) at 10 s: phase Running. */
function running(spec = specInput({ targets: { deviceNames: ['d1', 'd2'] }, strategy: { canary: 0, batchSize: 2, healthGateSeconds: 0, failureThreshold: 1 } })) {
  return AppHistory.created(spec)
    .run('DeployApplication', { targets: ['d1', 'd2'] }, at(1))
    .run('RecordDeviceRunning', { device: 'd1', revision: 1, sha256: SHA_1 }, at(5))
    .run('RecordDeviceRunning', { device: 'd2', revision: 1, sha256: SHA_1 }, at(5))
    .run('AdvanceWave', { rollout: 1, waveIndex: 0 }, at(10));
}
const healthy = attested([[APP, 1, SHA_1, 'running', at(4)]]);

it('does nothing for a running application whose devices all run the module', () => {
  expect(running().app.phase).toBe('Running');
  expect(plan(viewOf({ apps: [running()], attested: { d1: healthy, d2: healthy } }), at(100), SETTINGS)).toEqual([]);
});

describe('drift', () => {
  /** d2 came back (new session at 50 s) without the app, as after a reboot. */
  const rebooted = attested([], { sessionId: 'session-2', sessionSeenAt: at(50) });

  it('redeploys a connected device that lost the module, once that has lasted driftGraceMs, without a domain command', () => {
    const view = viewOf({ apps: [running()], attested: { d1: healthy, d2: rebooted } });
    expect(plan(view, at(51.99), SETTINGS)).toEqual([]);
    expect(plan(view, at(52), SETTINGS)).toEqual([{ kind: 'deploy', appId: APP, device: 'd2', rollout: 1, revision: 1, recordStarted: false, purpose: 'drift' }]);
  });

  it('redeploys a device that holds another revision or module (stale after a reconnect)', () => {
    const stale = attested([[APP, 1, SHA_2, 'running', at(50)]]);
    expect(deploys(plan(viewOf({ apps: [running()], attested: { d1: healthy, d2: stale } }), at(60), SETTINGS))).toEqual([
      expect.objectContaining({ device: 'd2', purpose: 'drift' }),
    ]);
  });

  it('counts from when the app went away within the session', () => {
    const gone = attested([], { sessionSeenAt: at(0), goneSince: { [APP]: at(58) } });
    expect(plan(viewOf({ apps: [running()], attested: { d1: healthy, d2: gone } }), at(59), SETTINGS)).toEqual([]);
    expect(deploys(plan(viewOf({ apps: [running()], attested: { d1: healthy, d2: gone } }), at(60), SETTINGS))).toHaveLength(1);
  });

  it('backs off between redeploys of the same device, and leaves offline devices alone', () => {
    const sent = attempt('deploy', 'rollout:1', { sends: 2, lastSentAt: at(55), sessionAtSend: 'session-2' });
    const view = viewOf({ apps: [running()], attested: { d1: healthy, d2: rebooted }, attempts: { 'deploy/d2': sent } });
    expect(plan(view, at(58.99), SETTINGS)).toEqual([]);
    expect(deploys(plan(view, at(59), SETTINGS))).toHaveLength(1);
    expect(plan(viewOf({ apps: [running()], attested: { d1: healthy } }), at(100), SETTINGS)).toEqual([]);
  });

  it('leaves an app that stopped by itself (the device applies its own restart policy)', () => {
    const ended = attested([[APP, 1, SHA_1, 'stopped', at(30)]]);
    expect(plan(viewOf({ apps: [running()], attested: { d1: healthy, d2: ended } }), at(100), SETTINGS)).toEqual([]);
  });

  it('records a redeploy that the device refuses as a failure of that device', () => {
    const refusal = { revision: 1, ok: false, sha256: null, error: { code: 'limit_exceeded', message: 'no memory' }, receivedAt: at(60) };
    const view = viewOf({ apps: [running()], attested: { d1: healthy, d2: rebooted }, reports: reports('d2', { deploy: refusal }) });
    expect(commands(plan(view, at(60), SETTINGS))).toEqual([
      { type: 'RecordDeviceFailed', data: { applicationId: APP, device: 'd2', revision: 1, reason: 'deploy failed on the device: limit_exceeded: no memory' } },
    ]);
  });
});

describe('after the rollout', () => {
  it('records a device whose app failed for good (the phase becomes PartiallyRunning)', () => {
    const crashed = attested([[APP, 1, SHA_1, 'failed', at(40)]]);
    const actions = plan(viewOf({ apps: [running()], attested: { d1: healthy, d2: crashed } }), at(41), SETTINGS);
    expect(commands(actions)).toEqual([{ type: 'RecordDeviceFailed', data: { applicationId: APP, device: 'd2', revision: 1, reason: 'app failed: trap: unreachable' } }]);
    expect(running().run('RecordDeviceFailed', { device: 'd2', revision: 1, reason: 'x' }, at(41)).app.phase).toBe('PartiallyRunning');
  });

  it('is not fooled by a failure shown before the device was recorded Running', () => {
    const earlier = attested([[APP, 1, SHA_1, 'failed', at(3)]]);
    expect(commands(plan(viewOf({ apps: [running()], attested: { d1: healthy, d2: earlier } }), at(41), SETTINGS))).toEqual([]);
  });

  it('tolerates restarts while the device keeps restarting the app', () => {
    const restarting = specInput({
      targets: { deviceNames: ['d1', 'd2'] },
      config: { memoryLimitBytes: 65536, cpuTimeLimitMs: 0, autoRestart: true, maxRestarts: 3 },
      strategy: { canary: 0, batchSize: 2, healthGateSeconds: 0, failureThreshold: 1 },
    });
    const view = (restarts: number) => viewOf({ apps: [running(restarting)], attested: { d1: healthy, d2: attested([[APP, 1, SHA_1, 'failed', at(40), restarts]]) } });
    expect(plan(view(2), at(41), SETTINGS)).toEqual([]);
    expect(commands(plan(view(3), at(41), SETTINGS))).toEqual([expect.objectContaining({ type: 'RecordDeviceFailed' })]);
  });

  it('records Running again a failed device later seen running the module', () => {
    const partial = running().run('RecordDeviceFailed', { device: 'd2', revision: 1, reason: 'trap' }, at(41));
    const recovered = attested([[APP, 1, SHA_1, 'running', at(70)]]);
    expect(commands(plan(viewOf({ apps: [partial], attested: { d1: healthy, d2: recovered } }), at(71), SETTINGS))).toEqual([
      { type: 'RecordDeviceRunning', data: { applicationId: APP, device: 'd2', revision: 1, sha256: SHA_1 } },
    ]);
    const stillFailed = attested([[APP, 1, SHA_1, 'running', at(30)]]);
    expect(plan(viewOf({ apps: [partial], attested: { d1: healthy, d2: stillFailed } }), at(71), SETTINGS)).toEqual([]);
  });
});
