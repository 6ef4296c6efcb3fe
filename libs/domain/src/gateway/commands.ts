import type { Command } from '../shared/messages';

type GatewayCommandOf<T extends string, D = object> = Command<T, { gatewayId: string } & D>;

export type RegisterGateway = GatewayCommandOf<
  'RegisterGateway',
  {
    endpoint: string;
    region: string;
    capacity: number;
    /** Default 30. */
    heartbeatIntervalSeconds?: number;
    /** Default 60. */
    enrollmentTimeoutSeconds?: number;
  }
>;
export type UpdateGatewayConfig = GatewayCommandOf<
  'UpdateGatewayConfig',
  {
    endpoint?: string;
    region?: string;
    capacity?: number;
    heartbeatIntervalSeconds?: number;
    enrollmentTimeoutSeconds?: number;
  }
>;
/** `instanceId` names the running gateway process, so a restarted one is told apart from a stale report. */
export type ReportGatewayOnline = GatewayCommandOf<'ReportGatewayOnline', { instanceId: string }>;
export type ReportGatewayOffline = GatewayCommandOf<'ReportGatewayOffline', { instanceId: string }>;
/** Stop taking new device sessions (existing ones may be moved away). */
export type DrainGateway = GatewayCommandOf<'DrainGateway'>;
/** Undo DrainGateway. */
export type ResumeGateway = GatewayCommandOf<'ResumeGateway'>;
export type DeregisterGateway = GatewayCommandOf<'DeregisterGateway'>;
/** enabled: open pairing for `durationSeconds` (default 300, at most 3600); disabled: close it now. */
export type SetPairingMode = GatewayCommandOf<'SetPairingMode', { enabled: boolean; durationSeconds?: number }>;

export type GatewayCommand =
  | RegisterGateway
  | UpdateGatewayConfig
  | ReportGatewayOnline
  | ReportGatewayOffline
  | DrainGateway
  | ResumeGateway
  | DeregisterGateway
  | SetPairingMode;
