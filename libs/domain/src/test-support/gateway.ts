// Test-only: gateway commands, events and histories.
import type { GatewayCommand } from '../gateway/commands';
import type { GatewayEvent } from '../gateway/events';
import { ACTOR, T0, at, commandsOf } from './fixtures';

export const cmd = commandsOf<GatewayCommand>();
export const CONFIG = { endpoint: 'gw1.example.com:4423', region: 'eu-west', capacity: 100, heartbeatIntervalSeconds: 30, enrollmentTimeoutSeconds: 60 };

export const register = (data: Partial<Omit<Extract<GatewayCommand, { type: 'RegisterGateway' }>['data'], 'gatewayId'>> = {}, now = T0) =>
  cmd('RegisterGateway', { gatewayId: 'gw1', endpoint: CONFIG.endpoint, region: CONFIG.region, capacity: CONFIG.capacity, ...data }, now);

export const registered = (now = T0): GatewayEvent => ({ type: 'GatewayRegistered', data: { gatewayId: 'gw1', config: CONFIG, registeredAt: now, registeredBy: ACTOR } });
export const online = (instanceId = 'i1', now = at(1)): GatewayEvent => ({ type: 'GatewayOnline', data: { gatewayId: 'gw1', instanceId, onlineAt: now } });
export const offline = (instanceId = 'i1', now = at(2)): GatewayEvent => ({ type: 'GatewayOffline', data: { gatewayId: 'gw1', instanceId, offlineAt: now } });
export const draining = (now = at(3)): GatewayEvent => ({ type: 'GatewayDraining', data: { gatewayId: 'gw1', requestedAt: now, requestedBy: ACTOR } });
export const deregistered = (now = at(4)): GatewayEvent => ({ type: 'GatewayDeregistered', data: { gatewayId: 'gw1', deregisteredAt: now, deregisteredBy: ACTOR } });
export const pairingEnabled = (until: string, now = at(5)): GatewayEvent => ({ type: 'PairingModeEnabled', data: { gatewayId: 'gw1', until, enabledAt: now, enabledBy: ACTOR } });
export const pairingDisabled = (now: string): GatewayEvent => ({ type: 'PairingModeDisabled', data: { gatewayId: 'gw1', disabledAt: now, disabledBy: ACTOR } });

/** Histories that leave gateway gw1 in each status. */
export const HISTORIES = {
  Registered: [registered()],
  Online: [registered(), online()],
  Offline: [registered(), online(), offline()],
  Draining: [registered(), online(), draining()],
  Deregistered: [registered(), online(), offline(), deregistered()],
} satisfies Record<string, GatewayEvent[]>;
