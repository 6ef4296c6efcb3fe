import { Gateway, GatewayPhase } from '@wasmbed/proto';
import { projectGatewayStatus } from './gateway-status';

const gateway = (overrides: Partial<Gateway> = {}): Gateway =>
  Gateway.fromPartial({
    name: 'gw-a',
    phase: GatewayPhase.GATEWAY_PHASE_ONLINE,
    capacity: 100,
    connectedDevices: 42,
    instanceId: 'i-1',
    registeredAt: new Date('2024-01-01T00:00:00Z'),
    lastSeenAt: new Date('2024-05-01T00:00:00.900Z'),
    pairing: { enabled: false, until: undefined },
    ...overrides,
  });

describe('projectGatewayStatus', () => {
  it('shows an online gateway with its sessions against its capacity', () => {
    expect(projectGatewayStatus(gateway(), { observedGeneration: 2 })).toEqual({
      phase: 'Online',
      observedGeneration: 2,
      connectedDevices: 42,
      sessions: '42/100',
      instanceId: 'i-1',
      lastSeen: '2024-05-01T00:00:00Z',
      pairing: { enabled: false },
      conditions: [{ type: 'Ready', status: 'True', reason: 'Online', message: 'online (i-1), 42/100 sessions', lastTransitionTime: '2024-05-01T00:00:00Z', observedGeneration: 2 }],
    });
  });

  it('says when a gateway is full, draining, offline or never reported in', () => {
    const reason = (g: Partial<Gateway>) => projectGatewayStatus(gateway(g)).conditions[0];
    expect(reason({ connectedDevices: 100 })).toMatchObject({ status: 'True', reason: 'AtCapacity' });
    expect(reason({ phase: GatewayPhase.GATEWAY_PHASE_DRAINING })).toMatchObject({ status: 'False', reason: 'Draining' });
    expect(reason({ phase: GatewayPhase.GATEWAY_PHASE_OFFLINE, instanceId: '' })).toMatchObject({ status: 'False', reason: 'Offline' });
    expect(reason({ phase: GatewayPhase.GATEWAY_PHASE_REGISTERED, instanceId: '', lastSeenAt: undefined })).toMatchObject({
      status: 'False',
      reason: 'NotReportedIn',
      lastTransitionTime: '2024-01-01T00:00:00Z',
    });
    expect(projectGatewayStatus(gateway({ phase: GatewayPhase.GATEWAY_PHASE_OFFLINE, instanceId: '' }))).not.toHaveProperty('instanceId');
  });

  it('shows until when pairing mode ends only while it is on', () => {
    const until = new Date('2024-05-01T01:00:00Z');
    expect(projectGatewayStatus(gateway({ pairing: { enabled: true, until } })).pairing).toEqual({ enabled: true, until: '2024-05-01T01:00:00Z' });
    expect(projectGatewayStatus(gateway({ pairing: { enabled: false, until } })).pairing).toEqual({ enabled: false });
  });
});
