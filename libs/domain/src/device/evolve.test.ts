import { applyEvents } from '../shared/decider';
import { UnexpectedEvent } from '../shared/errors';
import { KEY_A, at, capabilities } from '../test-support/fixtures';
import { cmd, connected, enrolled, enrollmentRequested, registered, requestEnrollment } from '../test-support/device';
import type { DeviceCommand } from './commands';
import { deviceDecider } from './decider';
import type { DeviceEvent } from './events';
import { evolveDevice } from './evolve';
import { initialDeviceState, type DeviceState } from './state';

/** Runs commands through decide and evolve, as the command handler would, collecting every event. */
function run(commands: DeviceCommand[]): { state: DeviceState; events: DeviceEvent[] } {
  let state = initialDeviceState();
  const events: DeviceEvent[] = [];
  for (const command of commands) {
    const emitted = deviceDecider.decide(command, state);
    events.push(...emitted);
    state = applyEvents(deviceDecider, emitted, state);
  }
  return { state, events };
}

describe('device evolve', () => {
  const lifecycle: DeviceCommand[] = [
    requestEnrollment({ pairingModeActive: true }),
    cmd('ApproveDevice', { deviceId: 'd1' }, at(20)),
    cmd('MarkConnected', { deviceId: 'd1', gatewayId: 'gw1', sessionId: 's1' }, at(30)),
    cmd('UpdateDeviceLabels', { deviceId: 'd1', labels: { env: 'lab' } }, at(40)),
    cmd('MarkUnreachable', { deviceId: 'd1', sessionId: 's1', lastHeartbeatAt: at(45) }, at(120)),
    cmd('MarkConnected', { deviceId: 'd1', gatewayId: 'gw2', sessionId: 's2' }, at(130)),
    cmd('AssignGateway', { deviceId: 'd1', gatewayId: 'gw2' }, at(131)),
    cmd('ReportCapabilities', { deviceId: 'd1', capabilities: capabilities({ maxInstances: 8 }) }, at(140)),
    cmd('MarkDisconnected', { deviceId: 'd1', sessionId: 's1', reason: 'late' }, at(150)),
    cmd('MarkDisconnected', { deviceId: 'd1', sessionId: 's2', reason: 'closed' }, at(160)),
  ];

  it('rebuilds the same state from the stored events as the live decisions produced', () => {
    const { state, events } = run(lifecycle);
    expect(events.map((e) => e.type)).toEqual([
      'DeviceEnrollmentRequested',
      'DeviceEnrolled',
      'DeviceConnected',
      'DeviceLabelsUpdated',
      'DeviceUnreachable',
      'DeviceConnected',
      'DeviceGatewayAssigned',
      'DeviceCapabilitiesReported',
      'DeviceDisconnected',
    ]);
    const stored = JSON.parse(JSON.stringify(events)) as DeviceEvent[];
    expect(applyEvents(deviceDecider, stored)).toEqual(state);
    expect(state).toEqual({
      status: 'Disconnected',
      deviceId: 'd1',
      publicKey: KEY_A,
      board: 'nrf52840dk',
      architecture: 'thumbv7em',
      labels: { env: 'lab' },
      assignedGateway: 'gw2',
      pendingEnrollment: null,
      capabilities: capabilities({ maxInstances: 8 }),
      session: null,
      lastHeartbeatAt: at(130),
      registeredAt: at(10),
      enrolledAt: at(20),
      revocation: null,
    });
  });

  it('never mutates the state it is given', () => {
    const before = applyEvents(deviceDecider, [registered(), enrolled()]);
    const copy = structuredClone(before);
    evolveDevice(before, connected());
    expect(before).toEqual(copy);
  });

  it.each([
    ['DeviceEnrolled on an empty stream', [], enrolled()],
    ['DeviceConnected on an empty stream', [], connected()],
    ['DeviceRegistered twice', [registered()], registered()],
    ['DeviceEnrollmentRequested after enrollment', [registered(), enrolled()], enrollmentRequested()],
  ])('reports a corrupt stream: %s', (_name, history, event) => {
    const state = applyEvents(deviceDecider, history as DeviceEvent[]);
    expect(() => evolveDevice(state, event)).toThrow(UnexpectedEvent);
  });

  it('names the event and state in UnexpectedEvent', () => {
    const err = (() => {
      try {
        evolveDevice(applyEvents(deviceDecider, [registered()]), registered());
      } catch (e) {
        return e as UnexpectedEvent;
      }
      throw new Error('expected UnexpectedEvent');
    })();
    expect(err.code).toBe('internal');
    expect(err.message).toBe('device event DeviceRegistered cannot follow state Pending');
  });
});
