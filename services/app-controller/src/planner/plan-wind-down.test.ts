import { APP, AppHistory, SETTINGS, SHA_1, at, attempt, attested, commands, reports, specInput, stops, viewOf } from '../test-support/views';
import { plan } from './plan';

/** Running on d1 and d2 since 10 s; stop (or delete) requested at 100 s. */
function windingDown(type: 'StopApplication' | 'DeleteApplication') {
  return AppHistory.created(specInput({ targets: { deviceNames: ['d1', 'd2'] }, strategy: { canary: 0, batchSize: 2, healthGateSeconds: 0, failureThreshold: 0 } }))
    .run('DeployApplication', { targets: ['d1', 'd2'] }, at(1))
    .run('RecordDeviceRunning', { device: 'd1', revision: 1, sha256: SHA_1 }, at(5))
    .run('RecordDeviceRunning', { device: 'd2', revision: 1, sha256: SHA_1 }, at(5))
    .run('AdvanceWave', { rollout: 1, waveIndex: 0 }, at(10))
    .run(type, {}, at(100));
}
const runningApp = attested([[APP, 1, SHA_1, 'running', at(4)]]);
const scope = `wind-down:${at(100)}`;

describe('stopping', () => {
  it('sends StopOnDevice to every listed device, connected or not', () => {
    expect(plan(viewOf({ apps: [windingDown('StopApplication')], attested: { d1: runningApp } }), at(100), SETTINGS)).toEqual([
      { kind: 'stop', appId: APP, device: 'd1', purpose: 'wind-down', scope },
      { kind: 'stop', appId: APP, device: 'd2', purpose: 'wind-down', scope },
    ]);
  });

  it('records a device stopped once a connected device no longer runs the app', () => {
    const stoppedThere = attested([[APP, 1, SHA_1, 'stopped', at(101)]]);
    const view = viewOf({ apps: [windingDown('StopApplication')], attested: { d1: stoppedThere, d2: attested() } });
    expect(commands(plan(view, at(101), SETTINGS))).toEqual([
      { type: 'RecordDeviceStopped', data: { applicationId: APP, device: 'd1' } },
      { type: 'RecordDeviceStopped', data: { applicationId: APP, device: 'd2' } },
    ]);
  });

  it('records a device stopped on a StopResult ok that answers this stop, not an older one', () => {
    const sent = attempt('stop', scope, { firstSentAt: at(100), lastSentAt: at(100) });
    const stopAt = (receivedAt: number) => reports('d1', { stop: { ok: true, error: null, receivedAt } });
    const view = (receivedAt: number) => viewOf({ apps: [windingDown('StopApplication')], attempts: { 'stop/d1': sent, 'stop/d2': { ...sent, inFlight: true } }, reports: stopAt(receivedAt) });
    expect(commands(plan(view(at(100.5)), at(101), SETTINGS))).toEqual([{ type: 'RecordDeviceStopped', data: { applicationId: APP, device: 'd1' } }]);
    expect(commands(plan(view(at(50)), at(101), SETTINGS))).toEqual([]);
  });

  it('retries an unreachable device with the back-off, and at once when it reconnects', () => {
    const sent = attempt('stop', scope, { firstSentAt: at(100), lastSentAt: at(100), lastReply: 'transport', sessionAtSend: null });
    const view = viewOf({ apps: [windingDown('StopApplication')], attested: { d1: runningApp }, attempts: { 'stop/d2': sent, 'stop/d1': { ...sent, sessionAtSend: 'session-1' } } });
    expect(stops(plan(view, at(101), SETTINGS))).toEqual([]);
    expect(stops(plan(view, at(102), SETTINGS)).map((s) => s.device)).toEqual(['d1', 'd2']);
    const back = viewOf({ apps: [windingDown('StopApplication')], attested: { d2: runningApp }, attempts: { 'stop/d2': sent } });
    expect(stops(plan(back, at(100.5), SETTINGS)).map((s) => s.device)).toEqual(['d1', 'd2']);
  });

  it('never gives up on a stop (only a delete may abandon devices)', () => {
    const sent = attempt('stop', scope, { firstSentAt: at(100), lastSentAt: at(900), sends: 12, lastReply: 'transport' });
    const view = viewOf({ apps: [windingDown('StopApplication')], attempts: { 'stop/d1': sent, 'stop/d2': sent } });
    expect(plan(view, at(959.99), SETTINGS)).toEqual([]);
    expect(stops(plan(view, at(960), SETTINGS))).toHaveLength(2);
  });
});

describe('deleting', () => {
  it('stops the devices and confirms the deletion once deleteTimeoutMs have passed with devices still unconfirmed', () => {
    const view = viewOf({ apps: [windingDown('DeleteApplication')], attested: { d1: attested() } });
    expect(commands(plan(view, at(219.99), SETTINGS))).toEqual([{ type: 'RecordDeviceStopped', data: { applicationId: APP, device: 'd1' } }]);
    expect(commands(plan(view, at(220), SETTINGS))).toEqual([
      { type: 'RecordDeviceStopped', data: { applicationId: APP, device: 'd1' } },
      { type: 'ConfirmDeleted', data: { applicationId: APP } },
    ]);
  });

  it('plans nothing once deleted', () => {
    const deleted = windingDown('DeleteApplication').run('ConfirmDeleted', {}, at(220));
    expect(deleted.app.phase).toBe('Deleted');
    expect(plan(viewOf({ apps: [deleted], attested: { d1: runningApp } }), at(300), SETTINGS)).toEqual([]);
  });
});
