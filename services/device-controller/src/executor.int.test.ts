import { connect, type NatsConnection } from '@nats-io/transport-node';
import type { JetStreamEventStore } from '@wasmbed/event-log';
import { createJsonLogger, openDomainEventStore } from '@wasmbed/service-kit';
import { withNats } from '@wasmbed/testing';
import { deviceAction, gatewayAction, type PlannedAction } from './actions';
import { ActionExecutor } from './executor';
import type { ActionOutcome } from './metrics';
import { CAPABILITIES } from './test-support/fleet-fixture';
import { send, streamOf } from './test-support/event-log';

const nats = withNats();
let nc: NatsConnection;
let store: JetStreamEventStore;
let executor: ActionExecutor;
const seen: [string, ActionOutcome][] = [];

beforeAll(async () => {
  nc = await connect({ servers: nats().url });
  store = await openDomainEventStore(nc);
  executor = new ActionExecutor({ store, logger: createJsonLogger('device-controller', 'error', () => undefined), clock: Date.now, onOutcome: (a, o) => seen.push([a.kind, o]) });
  await send(store, 'gateway:gw-a', { type: 'RegisterGateway', data: { gatewayId: 'gw-a', endpoint: 'gw-a.lab:4423', region: 'lab', capacity: 10 } });
  for (const [deviceId, key] of [['d-pending', 'c3'], ['d-enrolled', 'c4'], ['d-third', 'c5']]) {
    await send(store, 'gateway:gw-a', {
      type: 'RequestEnrollment',
      data: { deviceId, publicKey: key.repeat(32), gatewayId: 'gw-a', pairingModeActive: true, autoApprove: deviceId === 'd-enrolled', capabilities: CAPABILITIES },
    });
  }
});

afterAll(async () => {
  await store?.close();
  await nc?.close();
});

const approve = (deviceId: string): PlannedAction => deviceAction('auto_approve', 7, 'req', { type: 'ApproveDevice', data: { deviceId } });

describe('ActionExecutor on a real event log', () => {
  it('applies a command once: the same command id again writes nothing', async () => {
    const first = await executor.run([approve('d-pending')]);
    expect(first.outcomes.applied).toBe(1);
    const retried = await executor.run([approve('d-pending')]);
    // The store recognises the command's events: reported, not written again.
    expect(retried.lastPosition).toBe(first.lastPosition);
    const events = await streamOf(store, 'device', 'd-pending');
    expect(events.filter((e) => e.type === 'DeviceEnrolled').map((e) => e.metadata.actor)).toEqual(['device-controller']);
  });

  it('counts a command the domain no longer allows as refused, and one with nothing to do as unchanged', async () => {
    const report = await executor.run([
      approve('d-enrolled'),
      approve('d-unknown'),
      gatewayAction('close_pairing_window', 3, 'none', { type: 'SetPairingMode', data: { gatewayId: 'gw-a', enabled: false } }),
    ]);
    expect(report).toEqual({ outcomes: { applied: 0, unchanged: 1, refused: 2, failed: 0 }, lastPosition: 0 });
  });

  it('reports any other error as failed, without stopping the other commands', async () => {
    const report = await executor.run([
      deviceAction('mark_unreachable', 1, 's', { type: 'MarkUnreachable', data: { deviceId: 'd-enrolled', sessionId: 's', lastHeartbeatAt: 'yesterday' } }),
      approve('d-third'),
    ]);
    expect(report.outcomes).toEqual({ applied: 1, unchanged: 0, refused: 0, failed: 1 });
    expect(seen.slice(-2).map(([, outcome]) => outcome).sort()).toEqual(['applied', 'failed']);
  });
});
