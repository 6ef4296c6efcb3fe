import { DeviceDeploymentPhase, DevicePhase, type Device, type DeviceApplication } from '@wasmbed/proto';
import { rfc3339, settleConditions, truncate, type Condition, type ConditionDraft, type StatusExtra } from './conditions';
import { deploymentPhaseName, devicePhaseName } from './phase-names';

export interface DeviceApplicationStatus {
  readonly name: string;
  readonly revision: number;
  readonly phase: string;
  /** Hex SHA-256 of the revision's module, when the sync knows the application. */
  readonly moduleSha256?: string;
  /** Why it failed, when phase is Failed. */
  readonly message?: string;
}

export interface DeviceStatus {
  readonly phase: string;
  readonly observedGeneration?: number;
  /** Gateway responsible for the device; '' while none. */
  readonly gateway: string;
  readonly sessionId?: string;
  readonly lastSeen?: string;
  readonly enrolledAt?: string;
  readonly firmware?: string;
  readonly revocationReason?: string;
  /** Failed first, then by name; at most `maxApplications` of them. */
  readonly applications: readonly DeviceApplicationStatus[];
  readonly applicationsTotal: number;
  readonly conditions: readonly Condition[];
}

export interface DeviceStatusExtra extends StatusExtra {
  /** Module hash of an application revision (see moduleSha256Of in application-status). */
  readonly moduleSha256Of?: (application: string, revision: number) => string | undefined;
  /** Default 16. */
  readonly maxApplications?: number;
}

export const DEFAULT_MAX_DEVICE_APPLICATIONS = 16;

const FAILED = DeviceDeploymentPhase.DEVICE_DEPLOYMENT_PHASE_FAILED;
const IN_PROGRESS = new Set([DeviceDeploymentPhase.DEVICE_DEPLOYMENT_PHASE_PENDING, DeviceDeploymentPhase.DEVICE_DEPLOYMENT_PHASE_DEPLOYING]);

function connectedCondition(d: Device): ConditionDraft {
  const draft = (status: ConditionDraft['status'], reason: string, message: string): ConditionDraft => ({ type: 'Connected', status, reason, message });
  switch (d.phase) {
    case DevicePhase.DEVICE_PHASE_CONNECTED:
      return draft('True', 'SessionOpen', `session ${d.sessionId} on gateway ${d.gateway}`);
    case DevicePhase.DEVICE_PHASE_UNREACHABLE:
      return draft('Unknown', 'HeartbeatsMissing', `session ${d.sessionId} on gateway ${d.gateway} sends no heartbeats`);
    case DevicePhase.DEVICE_PHASE_DISCONNECTED:
      return draft('False', 'Disconnected', 'the gateway session closed');
    case DevicePhase.DEVICE_PHASE_ENROLLING:
      return draft('False', 'AwaitingApproval', 'connected in pairing mode, waiting for an operator to approve it');
    case DevicePhase.DEVICE_PHASE_REVOKED:
      return draft('False', 'Revoked', d.revocationReason || 'revoked');
    case DevicePhase.DEVICE_PHASE_PENDING:
    case DevicePhase.DEVICE_PHASE_ENROLLED:
    default:
      return draft('False', 'NeverConnected', `${devicePhaseName(d.phase)}, not connected yet`);
  }
}

function readyCondition(d: Device): ConditionDraft {
  const draft = (status: ConditionDraft['status'], reason: string, message: string): ConditionDraft => ({ type: 'Ready', status, reason, message });
  if (d.phase === DevicePhase.DEVICE_PHASE_REVOKED) return draft('False', 'Revoked', d.revocationReason || 'revoked');
  if (d.phase !== DevicePhase.DEVICE_PHASE_CONNECTED) return draft('False', 'NotConnected', `device is ${devicePhaseName(d.phase)}`);
  const failed = d.applications.filter((a) => a.phase === FAILED);
  if (failed.length > 0) {
    const listed = failed.slice(0, 3).map((a) => `${a.application} r${a.revision}${a.message ? ` (${truncate(a.message, 100)})` : ''}`);
    return draft('False', 'ApplicationFailed', `${failed.length} of ${d.applications.length} applications failed: ${listed.join('; ')}`);
  }
  const deploying = d.applications.filter((a) => IN_PROGRESS.has(a.phase)).length;
  if (deploying > 0) return draft('False', 'ApplicationsDeploying', `${deploying} of ${d.applications.length} applications deploying`);
  return draft('True', 'Ready', d.applications.length === 0 ? 'connected, no applications' : `connected, ${d.applications.length} applications settled`);
}

function byRelevance(a: DeviceApplication, b: DeviceApplication): number {
  const af = a.phase === FAILED ? 0 : 1;
  const bf = b.phase === FAILED ? 0 : 1;
  return af - bf || (a.application < b.application ? -1 : a.application > b.application ? 1 : 0);
}

/** The status subresource of a Device object for its read model. Pure. */
export function projectDeviceStatus(device: Device, extra: DeviceStatusExtra = {}): DeviceStatus {
  const max = extra.maxApplications ?? DEFAULT_MAX_DEVICE_APPLICATIONS;
  const applications = [...device.applications]
    .sort(byRelevance)
    .slice(0, max)
    .map((a): DeviceApplicationStatus => {
      const sha = extra.moduleSha256Of?.(a.application, a.revision);
      return {
        name: a.application,
        revision: a.revision,
        phase: deploymentPhaseName(a.phase),
        ...(sha ? { moduleSha256: sha } : {}),
        ...(a.phase === FAILED && a.message ? { message: truncate(a.message, 200) } : {}),
      };
    });
  const stamp = device.lastSeenAt ?? device.enrolledAt ?? device.registeredAt ?? new Date(0);
  return {
    phase: devicePhaseName(device.phase),
    ...(extra.observedGeneration === undefined ? {} : { observedGeneration: extra.observedGeneration }),
    gateway: device.gateway,
    ...(device.sessionId ? { sessionId: device.sessionId } : {}),
    ...(device.lastSeenAt ? { lastSeen: rfc3339(device.lastSeenAt) } : {}),
    ...(device.enrolledAt ? { enrolledAt: rfc3339(device.enrolledAt) } : {}),
    ...(device.capabilities?.firmware ? { firmware: truncate(device.capabilities.firmware, 128) } : {}),
    ...(device.revocationReason ? { revocationReason: truncate(device.revocationReason) } : {}),
    applications,
    applicationsTotal: device.applications.length,
    conditions: settleConditions([readyCondition(device), connectedCondition(device)], extra, stamp),
  };
}
