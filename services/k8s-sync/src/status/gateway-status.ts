import { GatewayPhase, type Gateway } from '@wasmbed/proto';
import { rfc3339, settleConditions, type Condition, type ConditionDraft, type StatusExtra } from './conditions';
import { gatewayPhaseName } from './phase-names';

export interface GatewayStatus {
  readonly phase: string;
  readonly observedGeneration?: number;
  /** Devices currently connected through this gateway. */
  readonly connectedDevices: number;
  /** "connected/capacity". */
  readonly sessions: string;
  /** Id of the gateway process online; absent when offline. */
  readonly instanceId?: string;
  readonly lastSeen?: string;
  readonly pairing: { readonly enabled: boolean; readonly until?: string };
  readonly conditions: readonly Condition[];
}

function readyCondition(gw: Gateway): ConditionDraft {
  const c = (status: ConditionDraft['status'], reason: string, message: string): ConditionDraft => ({ type: 'Ready', status, reason, message });
  switch (gw.phase) {
    case GatewayPhase.GATEWAY_PHASE_ONLINE:
      return gw.connectedDevices >= gw.capacity && gw.capacity > 0
        ? c('True', 'AtCapacity', `online (${gw.instanceId}), ${gw.connectedDevices}/${gw.capacity} sessions: no room for new devices`)
        : c('True', 'Online', `online (${gw.instanceId}), ${gw.connectedDevices}/${gw.capacity} sessions`);
    case GatewayPhase.GATEWAY_PHASE_REGISTERED:
      return c('False', 'NotReportedIn', 'no gateway process has reported in under this name');
    case GatewayPhase.GATEWAY_PHASE_OFFLINE:
      return c('False', 'Offline', 'the gateway process stopped reporting');
    case GatewayPhase.GATEWAY_PHASE_DRAINING:
      return c('False', 'Draining', `draining: no new sessions, ${gw.connectedDevices} devices still connected`);
    case GatewayPhase.GATEWAY_PHASE_DEREGISTERED:
      return c('False', 'Deregistered', 'removed for good');
    default:
      return c('Unknown', 'Unknown', `phase ${gatewayPhaseName(gw.phase)}`);
  }
}

/** The status subresource of a Gateway object for its read model. Pure. */
export function projectGatewayStatus(gw: Gateway, extra: StatusExtra = {}): GatewayStatus {
  const pairingOn = gw.pairing?.enabled ?? false;
  return {
    phase: gatewayPhaseName(gw.phase),
    ...(extra.observedGeneration === undefined ? {} : { observedGeneration: extra.observedGeneration }),
    connectedDevices: gw.connectedDevices,
    sessions: `${gw.connectedDevices}/${gw.capacity}`,
    ...(gw.instanceId ? { instanceId: gw.instanceId } : {}),
    ...(gw.lastSeenAt ? { lastSeen: rfc3339(gw.lastSeenAt) } : {}),
    pairing: { enabled: pairingOn, ...(pairingOn && gw.pairing?.until ? { until: rfc3339(gw.pairing.until) } : {}) },
    conditions: settleConditions([readyCondition(gw)], extra, gw.lastSeenAt ?? gw.registeredAt ?? new Date(0)),
  };
}
