import { gatewayDecider, type Gateway as GatewayState, type GatewayCommand } from '@wasmbed/domain';
import { GatewayPhase, RegisterGatewayRequest } from '@wasmbed/proto';
import { at, history, META } from '../test-support/domain';
import { toGatewayMessage } from '../views/gateway-view';
import { toSetPairingMode } from './device-mapping';
import { toRegisterGateway, toUpdateGatewayConfig } from './gateway-mapping';

const request = RegisterGatewayRequest.fromPartial({ name: 'gw-1', endpoint: 'gw-1.lab:4423', region: 'eu-west', capacity: 50 });

function gatewayAfter(commands: GatewayCommand[]): GatewayState {
  return history(gatewayDecider, commands).state as GatewayState;
}

describe('GatewayService request mapping', () => {
  it('leaves zero durations to the domain defaults and round-trips to the proto Gateway', () => {
    const command = toRegisterGateway(request, META);
    expect(command.data).toEqual({
      gatewayId: 'gw-1',
      endpoint: 'gw-1.lab:4423',
      region: 'eu-west',
      capacity: 50,
      heartbeatIntervalSeconds: undefined,
      enrollmentTimeoutSeconds: undefined,
    });
    const gateway = toGatewayMessage({ gateway: gatewayAfter([command]), connectedDevices: ['d1', 'd2'], lastSeenAt: null, version: 4 }, new Date(META.now));
    expect(gateway).toEqual({
      name: 'gw-1',
      phase: GatewayPhase.GATEWAY_PHASE_REGISTERED,
      endpoint: 'gw-1.lab:4423',
      region: 'eu-west',
      capacity: 50,
      heartbeatIntervalSeconds: 30,
      enrollmentTimeoutSeconds: 60,
      instanceId: '',
      connectedDevices: 2,
      pairing: { enabled: false, until: undefined },
      registeredAt: new Date(META.now),
      lastSeenAt: undefined,
      version: 4,
    });
  });

  it('changes only the settings an update sets', () => {
    const update = toUpdateGatewayConfig({ commandId: '', expectedVersion: 0, name: 'gw-1', capacity: 80 }, META);
    const state = gatewayAfter([toRegisterGateway(request, META), update]);
    expect(state.config).toEqual({ endpoint: 'gw-1.lab:4423', region: 'eu-west', capacity: 80, heartbeatIntervalSeconds: 30, enrollmentTimeoutSeconds: 60 });
  });

  it('shows pairing mode as enabled until its window ends', () => {
    const state = gatewayAfter([toRegisterGateway(request, META), toSetPairingMode('gw-1', { enabled: true, durationSeconds: 60 }, META)]);
    const doc = { gateway: state, connectedDevices: [], lastSeenAt: null, version: 5 };
    expect(toGatewayMessage(doc, new Date(at(59).now)).pairing).toEqual({ enabled: true, until: new Date(at(60).now) });
    expect(toGatewayMessage(doc, new Date(at(60).now)).pairing).toEqual({ enabled: false, until: undefined });
  });
});
