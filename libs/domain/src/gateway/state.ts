import type { GatewayConfig } from './config';

/** Registered = never seen online yet; Draining = online but taking no new sessions. */
export type GatewayStatus = 'Registered' | 'Online' | 'Offline' | 'Draining' | 'Deregistered';

export interface Gateway {
  readonly status: GatewayStatus;
  readonly gatewayId: string;
  readonly config: GatewayConfig;
  /** Set by DrainGateway, cleared by ResumeGateway; survives going offline and back. */
  readonly draining: boolean;
  /** The process currently online, null while not online. */
  readonly instanceId: string | null;
  /** End of the current pairing window, if one was opened and not closed. */
  readonly pairingUntil: string | null;
  readonly registeredAt: string;
}

export type GatewayState = { readonly status: 'Initial' } | Gateway;

export function initialGatewayState(): GatewayState {
  return { status: 'Initial' };
}
