import type { GatewayState } from './state';

export const DEFAULT_PAIRING_SECONDS = 300;
export const MAX_PAIRING_SECONDS = 3600;

/**
 * Whether the gateway accepts unknown devices at `nowIso`: a pairing window is
 * open and the gateway is neither draining nor deregistered. The caller passes
 * the result to RequestEnrollment as `pairingModeActive`.
 */
export function isPairingModeActive(state: GatewayState, nowIso: string): boolean {
  if (state.status === 'Initial' || state.status === 'Deregistered' || state.draining || state.pairingUntil === null) return false;
  return Date.parse(nowIso) < Date.parse(state.pairingUntil);
}
