import { unknownCommand } from '../shared/assert-never';
import { InvalidCommand, InvalidTransition } from '../shared/errors';
import { requireSameAggregate } from '../shared/identity';
import type { CommandMetadata } from '../shared/messages';
import { requireMetadata } from '../shared/metadata';
import { addSeconds } from '../shared/time';
import { requireBoolean, requireInteger, requireName, requireRecord, requireToken } from '../shared/validation';
import type { GatewayCommand } from './commands';
import { requireConfig, requireConfigChanges, type GatewayConfig } from './config';
import { GatewayAlreadyExists, GatewayNotFound } from './errors';
import type { GatewayEvent } from './events';
import { DEFAULT_PAIRING_SECONDS, MAX_PAIRING_SECONDS, isPairingModeActive } from './pairing';
import type { Gateway, GatewayState } from './state';

/** The gateway state machine; see libs/domain/README.md for the transition table. */
export function decideGateway(command: GatewayCommand, state: GatewayState): GatewayEvent[] {
  const meta = requireMetadata(command.metadata);
  const data = requireRecord('data', command.data);
  const gatewayId = requireName('data.gatewayId', data.gatewayId);
  if (state.status !== 'Initial') requireSameAggregate('data.gatewayId', gatewayId, state.gatewayId);

  if (command.type === 'RegisterGateway') {
    if (state.status !== 'Initial' && state.status !== 'Deregistered') throw new GatewayAlreadyExists(gatewayId, state.status);
    return [{ type: 'GatewayRegistered', data: { gatewayId, config: requireConfig(data), registeredAt: meta.now, registeredBy: meta.actor } }];
  }
  if (state.status === 'Initial') throw new GatewayNotFound(gatewayId);
  const gateway = state;

  switch (command.type) {
    case 'UpdateGatewayConfig': {
      const requested = requireConfigChanges(data);
      refuseIfDeregistered(gateway, command.type);
      const changes = Object.fromEntries(
        Object.entries(requested).filter(([key, value]) => gateway.config[key as keyof GatewayConfig] !== value),
      ) as Partial<GatewayConfig>;
      if (Object.keys(changes).length === 0) return [];
      return [{ type: 'GatewayConfigUpdated', data: { gatewayId, changes, updatedAt: meta.now, updatedBy: meta.actor } }];
    }
    case 'ReportGatewayOnline': {
      const instanceId = requireToken('data.instanceId', data.instanceId);
      refuseIfDeregistered(gateway, command.type);
      if (gateway.instanceId === instanceId) return [];
      // A different instance replaces the one we knew: the gateway restarted.
      return [{ type: 'GatewayOnline', data: { gatewayId, instanceId, onlineAt: meta.now } }];
    }
    case 'ReportGatewayOffline': {
      const instanceId = requireToken('data.instanceId', data.instanceId);
      // Only the instance we know as online can go offline; a late report about an old one is ignored.
      if (gateway.instanceId !== instanceId) return [];
      return [{ type: 'GatewayOffline', data: { gatewayId, instanceId, offlineAt: meta.now } }];
    }
    case 'DrainGateway': {
      refuseIfDeregistered(gateway, command.type);
      if (gateway.draining) return [];
      const draining: GatewayEvent = { type: 'GatewayDraining', data: { gatewayId, requestedAt: meta.now, requestedBy: meta.actor } };
      // A draining gateway takes no new devices, so an open pairing window closes with it.
      return isPairingModeActive(gateway, meta.now) ? [draining, pairingDisabled(gatewayId, meta)] : [draining];
    }
    case 'ResumeGateway':
      refuseIfDeregistered(gateway, command.type);
      if (!gateway.draining) return [];
      return [{ type: 'GatewayResumed', data: { gatewayId, resumedAt: meta.now, resumedBy: meta.actor } }];
    case 'DeregisterGateway':
      if (gateway.status === 'Deregistered') return [];
      // Sessions are served by the instance: drain it (or let it go offline) first.
      if (gateway.status === 'Online') throw new InvalidTransition(command.type, 'gateway', gatewayId, gateway.status);
      return [{ type: 'GatewayDeregistered', data: { gatewayId, deregisteredAt: meta.now, deregisteredBy: meta.actor } }];
    case 'SetPairingMode':
      return decidePairingMode(gateway, data, meta);
    default:
      return unknownCommand('gateway', command);
  }
}

function decidePairingMode(gateway: Gateway, data: Readonly<Record<string, unknown>>, meta: CommandMetadata): GatewayEvent[] {
  const enabled = requireBoolean('data.enabled', data.enabled);
  if (!enabled) {
    if (data.durationSeconds !== undefined) throw new InvalidCommand('data.durationSeconds', 'only applies when enabling pairing mode');
    refuseIfDeregistered(gateway, 'SetPairingMode');
    // An expired window is closed too: it is over in effect, but the log (and every read
    // model of it) keeps showing it until a PairingModeDisabled records the end.
    return gateway.pairingUntil !== null ? [pairingDisabled(gateway.gatewayId, meta)] : [];
  }
  const seconds = requireInteger('data.durationSeconds', data.durationSeconds ?? DEFAULT_PAIRING_SECONDS, 1, MAX_PAIRING_SECONDS);
  refuseIfDeregistered(gateway, 'SetPairingMode');
  if (gateway.draining) throw new InvalidTransition('SetPairingMode', 'gateway', gateway.gatewayId, 'Draining');
  // Enabling again restarts the window from now.
  const until = addSeconds(meta.now, seconds);
  return [{ type: 'PairingModeEnabled', data: { gatewayId: gateway.gatewayId, until, enabledAt: meta.now, enabledBy: meta.actor } }];
}

function pairingDisabled(gatewayId: string, meta: CommandMetadata): GatewayEvent {
  return { type: 'PairingModeDisabled', data: { gatewayId, disabledAt: meta.now, disabledBy: meta.actor } };
}

function refuseIfDeregistered(gateway: Gateway, command: string): void {
  if (gateway.status === 'Deregistered') throw new InvalidTransition(command, 'gateway', gateway.gatewayId, gateway.status);
}
