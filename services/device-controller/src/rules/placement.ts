import { CONTROLLER_ACTOR, type DeviceEntry, type GatewayEntry } from '../fleet-state';
import { sessionCounts, unfitTarget } from './gateway-load';

/** What the controller remembers of the last move it sent a device (MoveLedger). */
export interface MoveRecord {
  readonly sessionId: string;
  readonly target: string;
  /** Moves sent towards `target` since the device became misplaced. */
  readonly attempts: number;
  /** Epoch ms of the last one. */
  readonly lastAttemptAt: number;
  /** `ok`, or the gateway's refusal as `code: message`. */
  readonly lastResult: string;
}

export interface MovePolicy {
  /** How long a device may stay misplaced after a move before it is sent again; doubles with each attempt. */
  readonly retryMs: number;
  /** Moves sent per pass at most, so that a drained gateway's devices reach their new gateway in batches, not as one herd. */
  readonly maxPerPass: number;
}

/** Longest wait between two moves of a device that does not arrive (unless retryMs is longer). */
export const MAX_MOVE_RETRY_MS = 600_000;

/** A RebalanceDevice to send to the gateway holding the device's session. */
export interface PlannedMove {
  /** Deterministic: device, session, target and attempt. */
  readonly moveId: string;
  readonly deviceId: string;
  readonly sessionId: string;
  readonly fromGateway: string;
  readonly toGateway: string;
  /** The target's recorded endpoint, which the device is told to dial. */
  readonly endpoint: string;
  /** 1 for the first move towards this target. */
  readonly attempt: number;
}

/**
 * blocked: the target cannot take the device now (`reason`), so it stays where it
 * is; sending: a move goes out in this pass; sent: moved, waiting for the device to
 * arrive (or for `nextAttemptAt`); queued: over this pass' move budget.
 */
export interface MoveStatus {
  readonly state: 'blocked' | 'sending' | 'sent' | 'queued';
  readonly reason?: string;
  readonly attempts: number;
  readonly lastResult?: string;
  readonly nextAttemptAt?: string;
}

/** A device connected through another gateway than the one it is assigned to. */
export interface MisplacedDevice {
  readonly deviceId: string;
  readonly assignedGateway: string;
  readonly connectedGateway: string;
  readonly sessionId: string;
  readonly connectedAt: string;
  readonly move: MoveStatus;
}

type Placement = Omit<MisplacedDevice, 'move'>;

export function misplacedDevice(entry: DeviceEntry): Placement | undefined {
  const { device } = entry;
  const session = device.session;
  if (device.status !== 'Connected' || session === null || device.assignedGateway === null) return undefined;
  if (session.gatewayId === device.assignedGateway) return undefined;
  return {
    deviceId: device.deviceId,
    assignedGateway: device.assignedGateway,
    connectedGateway: session.gatewayId,
    sessionId: session.sessionId,
    connectedAt: session.connectedAt,
  };
}

export function moveRetryDelayMs(attempts: number, policy: MovePolicy): number {
  return Math.min(policy.retryMs * 2 ** Math.max(0, attempts - 1), Math.max(MAX_MOVE_RETRY_MS, policy.retryMs));
}

export function moveIdOf(deviceId: string, sessionId: string, target: string, attempt: number): string {
  return `${CONTROLLER_ACTOR}/move_device/${deviceId}/${sessionId}:${target}#${attempt}`;
}

/**
 * Moves for misplaced devices, level-triggered: a device connected elsewhere than
 * its assigned gateway is sent there when that gateway is Online, not draining, has
 * an endpoint and room; once per (device, session, target) unless it is still
 * misplaced after a retry delay that doubles per attempt (it may not support
 * redirects, or may have failed to reach the target and fallen back). A target that
 * cannot take it leaves the device where it is: a dead target must never strand it.
 */
export function planMoves(
  devices: ReadonlyMap<string, DeviceEntry>,
  gateways: ReadonlyMap<string, GatewayEntry>,
  records: ReadonlyMap<string, MoveRecord>,
  policy: MovePolicy,
  now: number,
): { moves: PlannedMove[]; misplaced: MisplacedDevice[] } {
  const placements = [...devices.values()].flatMap((entry) => misplacedDevice(entry) ?? []).sort((a, b) => (a.deviceId < b.deviceId ? -1 : a.deviceId > b.deviceId ? 1 : 0));
  const sessions = sessionCounts(devices);
  const moves: PlannedMove[] = [];
  const misplaced = placements.map((placement): MisplacedDevice => {
    const { deviceId, sessionId, assignedGateway: target } = placement;
    const gateway = gateways.get(target);
    const record = records.get(deviceId);
    const earlier = record?.target === target ? record : undefined;
    const history = { attempts: earlier?.attempts ?? 0, ...(earlier ? { lastResult: earlier.lastResult } : {}) };
    const unfit = unfitTarget(target, gateway);
    if (unfit !== undefined || gateway === undefined) return { ...placement, move: { state: 'blocked', reason: unfit, ...history } };
    const arriving = sessions.get(target) ?? 0;
    if (arriving >= gateway.gateway.config.capacity) {
      return { ...placement, move: { state: 'blocked', reason: `gateway '${target}' is full (capacity ${gateway.gateway.config.capacity})`, ...history } };
    }
    if (earlier !== undefined) {
      const due = earlier.lastAttemptAt + moveRetryDelayMs(earlier.attempts, policy);
      if (now < due) return { ...placement, move: { state: 'sent', ...history, nextAttemptAt: new Date(due).toISOString() } };
    }
    if (moves.length >= policy.maxPerPass) return { ...placement, move: { state: 'queued', ...history } };
    const attempt = history.attempts + 1;
    sessions.set(target, arriving + 1);
    moves.push({ moveId: moveIdOf(deviceId, sessionId, target, attempt), deviceId, sessionId, fromGateway: placement.connectedGateway, toGateway: target, endpoint: gateway.gateway.config.endpoint, attempt });
    return { ...placement, move: { state: 'sending', ...history } };
  });
  return { moves, misplaced };
}
