import { GatewayPhase } from '@wasmbed/proto';
import { commandIdFor } from '../command-ids';
import { gatewayConfigChanges, gatewaySpecFromFleet, registerGatewayRequest } from '../specs/gateway-spec';
import type { KindRules } from './kind-rules';
import { versionMarker } from './version-marker';

const DEREGISTERED = GatewayPhase.GATEWAY_PHASE_DEREGISTERED;

/** Gateway commands need the admin role (see the README's RBAC and token notes). */
export const gatewayRules: KindRules<'Gateway'> = {
  kind: 'Gateway',
  ...versionMarker,
  vanishes: false,

  mirrors: (gateway) => gateway.phase !== DEREGISTERED,

  specFromFleet: (gateway, current) => gatewaySpecFromFleet(gateway, current),

  differs: (spec, gateway) => Object.keys(gatewayConfigChanges(spec, gateway)).length > 0,

  applySteps({ name, uid, generation, spec, fleet: gateway }) {
    const id = (step: string) => commandIdFor('Gateway', uid, generation, step);
    // A deregistered gateway may register again under its name (unlike devices and applications).
    if (gateway === undefined || gateway.phase === DEREGISTERED) {
      return [{ commandId: id('register'), expectedVersion: gateway?.version ?? 0, command: { type: 'RegisterGateway', request: registerGatewayRequest(name, spec) } }];
    }
    const changes = gatewayConfigChanges(spec, gateway);
    if (Object.keys(changes).length === 0) return [];
    return [{ commandId: id('config'), expectedVersion: gateway.version, command: { type: 'UpdateGatewayConfig', request: { name, ...changes } } }];
  },

  cleanupSteps: (name, uid) => [
    { commandId: commandIdFor('Gateway', uid, 'delete', 'drain'), expectedVersion: 0, command: { type: 'DrainGateway', request: { name } } },
    { commandId: commandIdFor('Gateway', uid, 'delete', 'deregister'), expectedVersion: 0, command: { type: 'DeregisterGateway', request: { name } } },
  ],

  cleanedUp: (gateway) => gateway === undefined || gateway.phase === DEREGISTERED,
};
