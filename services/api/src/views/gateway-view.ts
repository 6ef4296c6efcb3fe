import { isPairingModeActive, type GatewayStatus } from '@wasmbed/domain';
import { Gateway, GatewayPhase } from '@wasmbed/proto';
import type { GatewayDoc } from '../projections/documents';
import { optionalDate } from './timestamps';

export const GATEWAY_PHASE: Readonly<Record<GatewayStatus, GatewayPhase>> = {
  Registered: GatewayPhase.GATEWAY_PHASE_REGISTERED,
  Online: GatewayPhase.GATEWAY_PHASE_ONLINE,
  Offline: GatewayPhase.GATEWAY_PHASE_OFFLINE,
  Draining: GatewayPhase.GATEWAY_PHASE_DRAINING,
  Deregistered: GatewayPhase.GATEWAY_PHASE_DEREGISTERED,
};

/** The proto Gateway. Pairing mode expires with time, so it is evaluated at `now`. */
export function toGatewayMessage(doc: GatewayDoc, now: Date): Gateway {
  const g = doc.gateway;
  const pairing = isPairingModeActive(g, now.toISOString());
  return Gateway.fromPartial({
    name: g.gatewayId,
    phase: GATEWAY_PHASE[g.status],
    endpoint: g.config.endpoint,
    region: g.config.region,
    capacity: g.config.capacity,
    heartbeatIntervalSeconds: g.config.heartbeatIntervalSeconds,
    enrollmentTimeoutSeconds: g.config.enrollmentTimeoutSeconds,
    instanceId: g.instanceId ?? '',
    connectedDevices: doc.connectedDevices.length,
    pairing: { enabled: pairing, until: pairing ? optionalDate(g.pairingUntil) : undefined },
    registeredAt: optionalDate(g.registeredAt),
    lastSeenAt: optionalDate(doc.lastSeenAt),
    version: doc.version,
  });
}
