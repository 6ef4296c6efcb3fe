import type { Event } from '../shared/messages';
import type { GatewayConfig } from './config';

type GatewayEventOf<T extends string, D> = Event<T, { gatewayId: string } & D>;

export type GatewayRegistered = GatewayEventOf<'GatewayRegistered', { config: GatewayConfig; registeredAt: string; registeredBy: string }>;
/** `changes` holds only the settings whose value changed. */
export type GatewayConfigUpdated = GatewayEventOf<
  'GatewayConfigUpdated',
  { changes: Partial<GatewayConfig>; updatedAt: string; updatedBy: string }
>;
export type GatewayOnline = GatewayEventOf<'GatewayOnline', { instanceId: string; onlineAt: string }>;
export type GatewayOffline = GatewayEventOf<'GatewayOffline', { instanceId: string; offlineAt: string }>;
export type GatewayDraining = GatewayEventOf<'GatewayDraining', { requestedAt: string; requestedBy: string }>;
export type GatewayResumed = GatewayEventOf<'GatewayResumed', { resumedAt: string; resumedBy: string }>;
export type GatewayDeregistered = GatewayEventOf<'GatewayDeregistered', { deregisteredAt: string; deregisteredBy: string }>;
export type PairingModeEnabled = GatewayEventOf<'PairingModeEnabled', { until: string; enabledAt: string; enabledBy: string }>;
export type PairingModeDisabled = GatewayEventOf<'PairingModeDisabled', { disabledAt: string; disabledBy: string }>;

export type GatewayEvent =
  | GatewayRegistered
  | GatewayConfigUpdated
  | GatewayOnline
  | GatewayOffline
  | GatewayDraining
  | GatewayResumed
  | GatewayDeregistered
  | PairingModeEnabled
  | PairingModeDisabled;
