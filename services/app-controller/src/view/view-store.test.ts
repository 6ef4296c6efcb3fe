import type { LivenessRecord } from '@wasmbed/device-bus';
import type { ApplicationEvent, DeviceEvent } from '@wasmbed/domain';
import type { RecordedEvent } from '@wasmbed/event-log';
import { APP, AppHistory, SHA_1, SHA_2, at, specInput } from '../test-support/views';
import { foldLivenessRecord } from './attested';
import { ViewStore, type FleetEvent } from './view-store';

function record(apps: LivenessRecord['apps'], sessionId = 'sess-1'): LivenessRecord {
  const now = new Date(at(0)).toISOString();
  return { deviceId: 'd1', gatewayId: 'gw1', sessionId, connectedAt: now, lastHeartbeatAt: now, heartbeatSeq: 1, uptimeMs: 1, freeMemoryBytes: 1, apps };
}
const app = (state: 'starting' | 'running' | 'failed' | 'stopped', restarts = 0, sha256 = SHA_1) => ({ appId: APP, revision: 1, sha256, state, restarts });

function recorded<E extends ApplicationEvent | FleetEvent>(event: E, aggregateType: string, aggregateId: string, position: number): RecordedEvent<E> {
  return {
    stream: { aggregateType, aggregateId },
    type: event.type,
    data: event.data,
    schemaVersion: 1,
    metadata: { eventId: `e${position}`, correlationId: 'c', actor: 'test', timestamp: new Date(at(0)).toISOString() },
    position,
    indexInCommit: 0,
    commitSize: 1,
    storedAt: new Date(at(0)).toISOString(),
  } as RecordedEvent<E>;
}

describe('what a device attests (liveness records)', () => {
  it('keeps an app\'s "since" while a session reports it unchanged, and moves it on any change', () => {
    const first = foldLivenessRecord(undefined, record([app('starting')]), at(1));
    const same = foldLivenessRecord(first, record([app('starting')]), at(5));
    const running = foldLivenessRecord(same, record([app('running')]), at(6));
    const restarted = foldLivenessRecord(running, record([app('running', 1)]), at(9));
    expect([first, same, running, restarted].map((d) => d.apps.get(APP)?.since)).toEqual([at(1), at(1), at(6), at(9)]);
    expect(restarted.receivedAt).toBe(at(9));
    expect(restarted.sessionSeenAt).toBe(at(1));
  });

  it('notes when an app went away within a session, and forgets it when it comes back', () => {
    const listed = foldLivenessRecord(undefined, record([app('running')]), at(1));
    const gone = foldLivenessRecord(listed, record([]), at(4));
    const stillGone = foldLivenessRecord(gone, record([]), at(8));
    expect(stillGone.goneSince.get(APP)).toBe(at(4));
    expect(foldLivenessRecord(stillGone, record([app('running', 0, SHA_2)]), at(9)).goneSince.has(APP)).toBe(false);
  });

  it('starts afresh with a new session (a reconnect)', () => {
    const before = foldLivenessRecord(undefined, record([app('running')]), at(1));
    const after = foldLivenessRecord(before, record([app('running')], 'sess-2'), at(30));
    expect(after).toMatchObject({ sessionId: 'sess-2', sessionSeenAt: at(30) });
    expect(after.apps.get(APP)?.since).toBe(at(30));
  });
});

describe('ViewStore', () => {
  it('folds application events with the domain and keeps the stop request time and the last failure', () => {
    const history = AppHistory.created(specInput({ targets: { deviceNames: ['d1'] } }))
      .run('DeployApplication', { targets: ['d1'] }, at(1))
      .run('RecordDeviceFailed', { device: 'd1', revision: 1, reason: 'trap' }, at(2))
      .run('StopApplication', {}, at(3));
    const store = new ViewStore();
    const events = history.events;
    events.forEach((e, i) => store.applyAppEvent(recorded(e, 'application', APP, 10 + i)));
    const entry = store.apps.get(APP)!;
    expect(entry).toMatchObject({ version: 10 + events.length - 1, windDownRequestedAt: at(3), lastFailure: { rollbackTo: null, failedDevices: ['d1'] } });
    expect(entry.app.phase).toBe('Stopping');
  });

  it('folds device events only (gateways are not needed)', () => {
    const store = new ViewStore();
    const registered: DeviceEvent = {
      type: 'DeviceRegistered',
      data: { deviceId: 'd1', publicKey: 'ab'.repeat(32), board: 'b', architecture: 'a', labels: { env: 'lab' }, preferredGateway: null, registeredAt: new Date(at(0)).toISOString(), registeredBy: 't' },
    };
    store.applyFleetEvent(recorded(registered, 'device', 'd1', 1));
    store.applyFleetEvent(recorded({ type: 'GatewayOnline', data: {} } as unknown as FleetEvent, 'gateway', 'gw1', 2));
    expect([...store.devices.keys()]).toEqual(['d1']);
    expect(store.devices.get('d1')).toMatchObject({ status: 'Pending', labels: { env: 'lab' } });
  });

  it('drops a device from the attested view when its liveness record is removed', () => {
    const store = new ViewStore();
    store.applyLiveness('d1', record([app('running')]), at(1));
    expect(store.attested.get('d1')?.apps.get(APP)?.state).toBe('running');
    store.applyLiveness('d1', undefined, at(2));
    expect(store.attested.has('d1')).toBe(false);
  });

  it('keeps the latest status message of each kind, for platform application names only', () => {
    const store = new ViewStore();
    const origin = { deviceId: 'd1', gatewayId: 'gw1', sessionId: 's', at: new Date(at(0)).toISOString() };
    store.applyStatus({ type: 'DeployResult', ...origin, appId: APP, revision: 1, ok: true, sha256: SHA_1 }, at(1));
    store.applyStatus({ type: 'AppStatus', ...origin, appId: APP, revision: 1, state: 'failed', restarts: 2, error: { code: 'trap', message: 'x' } }, at(2));
    expect(store.applyStatus({ type: 'StopResult', ...origin, appId: 'Foreign.App', ok: true }, at(3))).toBe(false);
    expect(store.reports.get(`d1/${APP}`)).toEqual({
      appId: APP,
      deploy: { revision: 1, ok: true, sha256: SHA_1, error: null, receivedAt: at(1) },
      status: { revision: 1, state: 'failed', restarts: 2, error: { code: 'trap', message: 'x' }, receivedAt: at(2) },
    });
    expect(store.reports.size).toBe(1);
  });

  it('prunes memos the application has moved past and everything about a deleted application', () => {
    const store = new ViewStore();
    const deleted = AppHistory.created(specInput(), 'gone').run('DeployApplication', { targets: [] }, at(1)).run('DeleteApplication', {}, at(2));
    const live = AppHistory.created(specInput(), 'live');
    for (const h of [deleted, live]) h.events.forEach((e, i) => store.applyAppEvent(recorded(e, 'application', h.appId, i + 1)));
    const memo = { inFlight: false, outcome: 'unchanged' as const, resultVersion: 1, finishedAt: 0, misses: 1 };
    store.setCommand('live:old', { ...memo, appId: 'live', plannedAtVersion: 1 });
    store.setCommand('live:current', { ...memo, appId: 'live', plannedAtVersion: 2 });
    store.setCommand('live:applied', { ...memo, appId: 'live', plannedAtVersion: 1, outcome: 'applied', resultVersion: 9 });
    const attempt = { kind: 'stop' as const, scope: 's', revision: null, startedAt: null, sends: 1, firstSentAt: 0, lastSentAt: 0, sessionAtSend: null, inFlight: false, lastReply: null, lastError: null };
    store.setAttempt('stop:gone/d1', { ...attempt, appId: 'gone' });
    store.setAttempt('stop:live/d1', { ...attempt, appId: 'live' });
    store.reports.set('d1/gone', { appId: 'gone' });
    store.prune();
    expect([...store.commands.keys()]).toEqual(['live:current', 'live:applied']);
    expect([...store.attempts.keys()]).toEqual(['stop:live/d1']);
    expect(store.reports.size).toBe(0);
  });
});
