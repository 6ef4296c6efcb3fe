import type { Application, Device, DeviceDeploymentStatus, DeviceMap, Gateway, RolloutStatus, RolloutStrategy } from '@wasmbed/domain';

/**
 * Read-model documents. Each embeds the aggregate state the domain's own
 * `evolve` computes, so the API never re-implements a state machine; the extra
 * fields are what only a reader needs (versions, views of several aggregates).
 */
export const COLLECTIONS = {
  devices: 'devices',
  gateways: 'gateways',
  applications: 'applications',
  /** Per device: the applications deployed on it (from the apps log). */
  deployments: 'device-deployments',
} as const;

export interface DeviceDoc {
  readonly device: Device;
  /** The gateway an operator asked for (registration or AssignGateway). */
  readonly preferredGateway: string | null;
  /** The gateway the device last enrolled or connected through. */
  readonly gateway: string | null;
  /** Stream version: position of the device's last commit in the fleet log. */
  readonly version: number;
}

export interface GatewayDoc {
  readonly gateway: Gateway;
  /** Devices whose current phase is Connected through this gateway, sorted. */
  readonly connectedDevices: readonly string[];
  readonly lastSeenAt: string | null;
  readonly version: number;
}

export interface DeviceOutcome {
  readonly status: DeviceDeploymentStatus;
  readonly reason: string | null;
  readonly at: string;
}

/** The latest rollout of one revision. */
export interface RolloutView {
  readonly rollout: number;
  readonly status: Exclude<RolloutStatus, 'Pending'>;
  readonly currentWave: number;
  readonly waves: readonly (readonly string[])[];
  readonly targets: readonly string[];
  /** In force for this rollout: the revision's, or DeployApplication's override. */
  readonly strategy: RolloutStrategy;
  /** Outcomes reported during this rollout, by device (a DeviceMap: one outcome copies a shard, not every device). */
  readonly devices: DeviceMap<DeviceOutcome>;
  readonly message: string;
  readonly startedAt: string;
  readonly finishedAt: string | null;
}

export interface ApplicationDoc {
  readonly app: Application;
  /** Keyed by revision number. */
  readonly rollouts: Readonly<Record<string, RolloutView>>;
  readonly updatedAt: string;
  readonly version: number;
}

export interface DeviceApplicationView {
  readonly revision: number;
  readonly status: DeviceDeploymentStatus;
  readonly message: string;
  readonly updatedAt: string;
}

export interface DeploymentsDoc {
  /** Keyed by application name. */
  readonly applications: Readonly<Record<string, DeviceApplicationView>>;
}
