import { gatewayAction, type PlannedAction } from '../actions';
import type { GatewayEntry } from '../fleet-state';

/**
 * A pairing window is over once its `until` has passed, but the log keeps showing
 * it until someone disables it: close it, so the log, read models and CRDs agree
 * with the clock.
 */
export function pairingWindowAction(entry: GatewayEntry, now: number): PlannedAction | undefined {
  const { gateway, version } = entry;
  if (gateway.status === 'Deregistered' || gateway.pairingUntil === null || now < Date.parse(gateway.pairingUntil)) return undefined;
  return gatewayAction('close_pairing_window', version, gateway.pairingUntil, {
    type: 'SetPairingMode',
    data: { gatewayId: gateway.gatewayId, enabled: false },
  });
}
