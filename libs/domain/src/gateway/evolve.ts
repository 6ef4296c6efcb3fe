import { unknownEvent } from '../shared/assert-never';
import { UnexpectedEvent } from '../shared/errors';
import type { GatewayEvent } from './events';
import type { Gateway, GatewayState } from './state';

export function evolveGateway(state: GatewayState, event: GatewayEvent): GatewayState {
  if (event.type === 'GatewayRegistered') {
    // A deregistered gateway may be registered again: it starts afresh.
    if (state.status !== 'Initial' && state.status !== 'Deregistered') throw new UnexpectedEvent('gateway', event.type, state.status);
    const d = event.data;
    return {
      status: 'Registered',
      gatewayId: d.gatewayId,
      config: d.config,
      draining: false,
      instanceId: null,
      pairingUntil: null,
      registeredAt: d.registeredAt,
    };
  }
  if (state.status === 'Initial') throw new UnexpectedEvent('gateway', event.type, state.status);
  const gateway = state;

  switch (event.type) {
    case 'GatewayConfigUpdated':
      return { ...gateway, config: { ...gateway.config, ...event.data.changes } };
    case 'GatewayOnline':
      return { ...gateway, status: gateway.draining ? 'Draining' : 'Online', instanceId: event.data.instanceId };
    case 'GatewayOffline':
      return { ...gateway, status: 'Offline', instanceId: null };
    case 'GatewayDraining':
      return withConnectivity({ ...gateway, draining: true });
    case 'GatewayResumed':
      return withConnectivity({ ...gateway, draining: false });
    case 'GatewayDeregistered':
      return { ...gateway, status: 'Deregistered', instanceId: null, pairingUntil: null };
    case 'PairingModeEnabled':
      return { ...gateway, pairingUntil: event.data.until };
    case 'PairingModeDisabled':
      return { ...gateway, pairingUntil: null };
    default:
      return unknownEvent('gateway', event, gateway.status);
  }
}

/** Online/Draining while an instance is up; Registered/Offline are left alone. */
function withConnectivity(gateway: Gateway): Gateway {
  if (gateway.instanceId === null) return gateway;
  return { ...gateway, status: gateway.draining ? 'Draining' : 'Online' };
}
