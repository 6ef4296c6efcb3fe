import { InvalidCommand, InvalidTransition } from '../shared/errors';
import { DeciderSpecification } from '../testing/decider-specification';
import { at } from '../test-support/fixtures';
import { HISTORIES, cmd, connected } from '../test-support/device';
import { deviceDecider } from './decider';
import { DeviceNotFound } from './errors';

const spec = DeciderSpecification.for(deviceDecider);
const markConnected = (sessionId = 's2', gatewayId = 'gw1', now = at(100)) => cmd('MarkConnected', { deviceId: 'd1', gatewayId, sessionId }, now);
const disconnected = (sessionId: string, now = at(100)) => ({
  type: 'DeviceDisconnected' as const,
  data: { deviceId: 'd1', sessionId, reason: 'socket closed', disconnectedAt: now },
});

describe('MarkConnected', () => {
  it.each(['Enrolled', 'Disconnected', 'Unreachable'] as const)('connects a device that is %s', (status) => {
    const state = spec.given(HISTORIES[status]).when(markConnected()).then([connected({ sessionId: 's2', connectedAt: at(100) })]);
    expect(state).toMatchObject({
      status: 'Connected',
      session: { sessionId: 's2', gatewayId: 'gw1', connectedAt: at(100) },
      lastHeartbeatAt: at(100),
    });
  });

  it('lets a new session replace the current one, on another gateway too', () => {
    spec
      .given(HISTORIES.Connected)
      .when(markConnected('s2', 'gw2'))
      .then([connected({ sessionId: 's2', gatewayId: 'gw2', connectedAt: at(100) })]);
  });

  it('treats the same session reported again as already done', () => {
    spec.given(HISTORIES.Connected).when(markConnected('s1')).thenNothingHappens();
  });

  it('records the same session id on another gateway as a new connection', () => {
    spec.given(HISTORIES.Connected).when(markConnected('s1', 'gw2')).then([connected({ gatewayId: 'gw2', connectedAt: at(100) })]);
  });

  it.each(['Pending', 'Enrolling', 'Revoked'] as const)('is an invalid transition from %s', (status) => {
    spec.given(HISTORIES[status]).when(markConnected()).thenThrows(InvalidTransition, `cannot MarkConnected: device 'd1' is ${status}`);
  });

  it('needs an existing device', () => {
    spec.given([]).when(markConnected()).thenThrows(DeviceNotFound);
  });

  it.each([
    ['data.sessionId', markConnected('has space')],
    ['data.sessionId', markConnected('')],
    ['data.gatewayId', markConnected('s2', 'GW')],
  ])('rejects an invalid %s', (field, command) => {
    expect(spec.given(HISTORIES.Enrolled).when(command).thenThrows(InvalidCommand).field).toBe(field);
  });
});

describe('MarkDisconnected', () => {
  const markDisconnected = (sessionId: string) => cmd('MarkDisconnected', { deviceId: 'd1', sessionId, reason: 'socket closed' }, at(100));

  it('disconnects the current session', () => {
    const state = spec.given(HISTORIES.Connected).when(markDisconnected('s1')).then([disconnected('s1')]);
    expect(state).toMatchObject({ status: 'Disconnected', session: null });
  });

  it('closes the session of an unreachable device', () => {
    spec.given(HISTORIES.Unreachable).when(markDisconnected('s1')).then([disconnected('s1')]);
  });

  it('ignores a stale session: it must not cut the newer one', () => {
    spec.given([...HISTORIES.Connected, connected({ sessionId: 's2', connectedAt: at(50) })]).when(markDisconnected('s1')).thenNothingHappens();
  });

  it.each(['Pending', 'Enrolling', 'Enrolled', 'Disconnected', 'Revoked'] as const)('does nothing without a session (%s)', (status) => {
    spec.given(HISTORIES[status]).when(markDisconnected('s1')).thenNothingHappens();
  });

  it('needs a reason', () => {
    const command = cmd('MarkDisconnected', { deviceId: 'd1', sessionId: 's1', reason: '' });
    expect(spec.given(HISTORIES.Connected).when(command).thenThrows(InvalidCommand).field).toBe('data.reason');
  });

  it('needs an existing device', () => {
    spec.given([]).when(markDisconnected('s1')).thenThrows(DeviceNotFound);
  });
});

describe('MarkUnreachable', () => {
  const markUnreachable = (sessionId: string, lastHeartbeatAt = at(25)) =>
    cmd('MarkUnreachable', { deviceId: 'd1', sessionId, lastHeartbeatAt }, at(60));
  const unreachable = { type: 'DeviceUnreachable' as const, data: { deviceId: 'd1', sessionId: 's1', lastHeartbeatAt: at(25), detectedAt: at(60) } };

  it('marks a connected device whose heartbeats stopped', () => {
    const state = spec.given(HISTORIES.Connected).when(markUnreachable('s1')).then([unreachable]);
    expect(state).toMatchObject({ status: 'Unreachable', lastHeartbeatAt: at(25), session: { sessionId: 's1' } });
  });

  it('does nothing when already unreachable', () => {
    spec.given(HISTORIES.Unreachable).when(markUnreachable('s1')).thenNothingHappens();
  });

  it('ignores a stale session', () => {
    spec.given(HISTORIES.Connected).when(markUnreachable('s0')).thenNothingHappens();
  });

  it.each(['Pending', 'Enrolling', 'Enrolled', 'Disconnected', 'Revoked'] as const)('does nothing without a session (%s)', (status) => {
    spec.given(HISTORIES[status]).when(markUnreachable('s1')).thenNothingHappens();
  });

  it('needs a valid lastHeartbeatAt', () => {
    expect(spec.given(HISTORIES.Connected).when(markUnreachable('s1', 'yesterday')).thenThrows(InvalidCommand).field).toBe('data.lastHeartbeatAt');
  });

  it('needs an existing device', () => {
    spec.given([]).when(markUnreachable('s1')).thenThrows(DeviceNotFound);
  });
});
