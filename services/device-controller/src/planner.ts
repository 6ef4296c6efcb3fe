import type { LivenessRecord } from '@wasmbed/device-bus';
import type { PlannedAction } from './actions';
import type { DeviceEntry, GatewayEntry } from './fleet-state';
import { deviceLivenessAction } from './rules/device-liveness';
import { drainPlan, type DrainStatus } from './rules/drain';
import { enrollmentAction, type EnrollmentPolicy } from './rules/enrollment';
import { gatewayLivenessActions } from './rules/gateway-liveness';
import { pairingWindowAction } from './rules/pairing-window';
import { planMoves, type MisplacedDevice, type MovePolicy, type MoveRecord, type PlannedMove } from './rules/placement';
import { assessSession, type LivenessWindow, type SessionLiveness } from './session-liveness';

export interface PlanInput {
  readonly devices: ReadonlyMap<string, DeviceEntry>;
  readonly gateways: ReadonlyMap<string, GatewayEntry>;
  /** The latest record seen per device, kept after the gateway removed it. */
  readonly liveness: ReadonlyMap<string, LivenessRecord>;
  readonly window: LivenessWindow;
  readonly policy: EnrollmentPolicy;
  /** The last move sent per device that is still misplaced (MoveLedger). */
  readonly moves: ReadonlyMap<string, MoveRecord>;
  readonly movePolicy: MovePolicy;
}

export interface Plan {
  /** Domain commands to send, at most one per device; ordered devices first, then gateways. */
  readonly actions: PlannedAction[];
  /** Device-bus moves (RebalanceDevice) to send, by device id. */
  readonly moves: PlannedMove[];
  /** Devices connected elsewhere than their assigned gateway, by id, with what is done about each. */
  readonly misplaced: MisplacedDevice[];
  /** Gateways being drained, by id. */
  readonly drains: DrainStatus[];
}

/**
 * The whole decision of one reconcile pass, pure: from the fleet log's state, the
 * liveness records, the moves already sent and the time to the commands that bring
 * the log (and the devices' placement) in line with what is observed and asked for.
 * Level-triggered: the same inputs give the same plan, and a plan already carried
 * out plans nothing (the state then says so).
 */
export function planReconcile(input: PlanInput): Plan {
  const { devices, gateways, liveness, window, policy } = input;
  const actions: PlannedAction[] = [];
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
  }
  const busy = new Set(actions.map((a) => (a.target === 'device' ? a.command.data.deviceId : '')));
  const drain = drainPlan(devices, gateways, busy);
  actions.push(...drain.actions);

  actions.push(...gatewayLivenessActions(gateways, devices, assessed));
  for (const entry of gateways.values()) {
    const action = pairingWindowAction(entry, window.now);
    if (action !== undefined) actions.push(action);
  }

  const { moves, misplaced } = planMoves(devices, gateways, input.moves, input.movePolicy, window.now);
  return { actions, moves, misplaced, drains: drain.drains };
}
