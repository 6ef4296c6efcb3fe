import type { LivenessRecord } from '@wasmbed/device-bus';
import type { PlannedAction } from './actions';
import type { DeviceEntry, GatewayEntry } from './fleet-state';
import { deviceLivenessAction } from './rules/device-liveness';
import { enrollmentAction, type EnrollmentPolicy } from './rules/enrollment';
import { gatewayLivenessActions } from './rules/gateway-liveness';
import { pairingWindowAction } from './rules/pairing-window';
import { misplacedDevice, type MisplacedDevice } from './rules/placement';
import { assessSession, type LivenessWindow, type SessionLiveness } from './session-liveness';

export interface PlanInput {
  readonly devices: ReadonlyMap<string, DeviceEntry>;
  readonly gateways: ReadonlyMap<string, GatewayEntry>;
  /** The latest record seen per device, kept after the gateway removed it. */
  readonly liveness: ReadonlyMap<string, LivenessRecord>;
  readonly window: LivenessWindow;
  readonly policy: EnrollmentPolicy;
}

export interface Plan {
  /** Commands to send, at most one per device; ordered devices first, then gateways. */
  readonly actions: PlannedAction[];
  /** Devices connected elsewhere than their assigned gateway, by id. */
  readonly misplaced: MisplacedDevice[];
}

/**
 * The whole decision of one reconcile pass, pure: from the fleet log's state, the
 * liveness records and the time to the commands that bring the log in line with
 * what is observed. Level-triggered: the same inputs give the same plan, and a
 * plan already carried out plans nothing (the state then says so).
 */
export function planReconcile(input: PlanInput): Plan {
  const { devices, gateways, liveness, window, policy } = input;
  const actions: PlannedAction[] = [];
  const misplaced: MisplacedDevice[] = [];
  const assessed = new Map<string, SessionLiveness>();

  for (const [deviceId, entry] of devices) {
    const status = entry.device.status;
    if (status === 'Connected' || status === 'Unreachable') {
      const judged = assessSession(entry.device, liveness.get(deviceId), window);
      assessed.set(deviceId, judged);
      const action = deviceLivenessAction(entry, judged);
      if (action !== undefined) actions.push(action);
    } else {
      const action = enrollmentAction(entry, window.now, policy);
      if (action !== undefined) actions.push(action);
    }
    const condition = misplacedDevice(entry);
    if (condition !== undefined) misplaced.push(condition);
  }

  actions.push(...gatewayLivenessActions(gateways, devices, assessed));
  for (const entry of gateways.values()) {
    const action = pairingWindowAction(entry, window.now);
    if (action !== undefined) actions.push(action);
  }

  misplaced.sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  return { actions, misplaced };
}
