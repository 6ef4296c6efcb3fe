// Test-only (excluded from the build): fleet states built by running real domain
// commands, as the gateways, operators and the controller would, with log positions.
import {
  deviceDecider,
  gatewayDecider,
  initialDeviceState,
  initialGatewayState,
  type DeviceCommand,
  type DeviceEvent,
  type GatewayCommand,
  type GatewayEvent,
} from '@wasmbed/domain';
import type { LivenessRecord } from '@wasmbed/device-bus';
import type { RecordedEvent } from '@wasmbed/event-log';
import type { PlannedAction } from '../actions';
import { CONTROLLER_ACTOR, FleetState, type FleetEvent } from '../fleet-state';
import { planReconcile, type Plan } from '../planner';
import type { EnrollmentPolicy } from '../rules/enrollment';
import type { MovePolicy, MoveRecord } from '../rules/placement';

type DataOf<C extends { type: string; data: unknown }, T extends C['type']> = Extract<C, { type: T }>['data'];

export const T0 = Date.parse('2024-05-01T10:00:00.000Z');
export const HEARTBEAT_MS = 30_000;
/** 3 missed heartbeats plus one interval of flush margin. */
export const THRESHOLD_MS = 4 * HEARTBEAT_MS;
export const KEY = 'a1'.repeat(32);

/** T0 + ms, as ISO text. */
export const iso = (ms: number): string => new Date(T0 + ms).toISOString();

export const gatewayActor = (gatewayId: string) => `gateway:${gatewayId}`;

export const CAPABILITIES = {
  firmware: 'wasmbed-fw 1.0.0',
  board: 'nrf52840dk',
  arch: 'thumbv7em',
  ramBytes: 262144,
  maxModuleBytes: 65536,
  maxInstances: 2,
  hostFunctions: ['log'],
};

export class FleetFixture {
  readonly state = new FleetState();
  private position = 0;

  device<T extends DeviceCommand['type']>(type: T, data: DataOf<DeviceCommand, T>, atMs: number, actor = 'operator'): this {
    const current = this.state.devices.get(data.deviceId)?.device ?? initialDeviceState();
    const command = { type, data, metadata: { now: iso(atMs), actor } } as DeviceCommand;
    this.record('device', data.deviceId, deviceDecider.decide(command, current), atMs, actor);
    return this;
  }

  gateway<T extends GatewayCommand['type']>(type: T, data: DataOf<GatewayCommand, T>, atMs: number, actor = 'operator'): this {
    const current = this.state.gateways.get(data.gatewayId)?.gateway ?? initialGatewayState();
    const command = { type, data, metadata: { now: iso(atMs), actor } } as GatewayCommand;
    this.record('gateway', data.gatewayId, gatewayDecider.decide(command, current), atMs, actor);
    return this;
  }

  /** A registered gateway whose instance reported online at `atMs`. */
  onlineGateway(gatewayId: string, instanceId: string, atMs = 0, capacity = 100): this {
    if (!this.state.gateways.has(gatewayId)) {
      this.gateway('RegisterGateway', { gatewayId, endpoint: `${gatewayId}.lab:4423`, region: 'lab', capacity }, atMs, gatewayActor(gatewayId));
    }
    return this.gateway('ReportGatewayOnline', { gatewayId, instanceId }, atMs, gatewayActor(gatewayId));
  }

  /** A pre-registered device admitted and connected through `gatewayId` at `atMs`. */
  connectedDevice(deviceId: string, gatewayId: string, sessionId: string, atMs = 0): this {
    if (!this.state.devices.has(deviceId)) {
      this.device('RegisterDevice', { deviceId, publicKey: KEY, board: 'nrf52840dk', architecture: 'thumbv7em' }, atMs);
      this.device(
        'RequestEnrollment',
        { deviceId, publicKey: KEY, gatewayId, pairingModeActive: false, autoApprove: false, capabilities: CAPABILITIES },
        atMs,
        gatewayActor(gatewayId),
      );
    }
    return this.device('MarkConnected', { deviceId, gatewayId, sessionId }, atMs, gatewayActor(gatewayId));
  }

  /** Runs planned actions as the executor would (as the controller, at `atMs`). */
  execute(actions: readonly PlannedAction[], atMs: number): this {
    for (const action of actions) {
      if (action.target === 'device') this.device(action.command.type, action.command.data as never, atMs, CONTROLLER_ACTOR);
      else this.gateway(action.command.type, action.command.data as never, atMs, CONTROLLER_ACTOR);
    }
    return this;
  }

  private record(aggregateType: 'device' | 'gateway', aggregateId: string, events: readonly (DeviceEvent | GatewayEvent)[], atMs: number, actor: string): void {
    if (events.length === 0) return;
    this.position += 1;
    events.forEach((event, index) => {
      const recorded: RecordedEvent<FleetEvent> = {
        stream: { aggregateType, aggregateId },
        type: event.type,
        data: event.data,
        schemaVersion: 1,
        metadata: { eventId: `${this.position}-${index}`, correlationId: 'c', actor, timestamp: iso(atMs) },
        position: this.position,
        indexInCommit: index,
        commitSize: events.length,
        storedAt: iso(atMs),
      } as RecordedEvent<FleetEvent>;
      this.state.apply(recorded);
    });
  }
}

export function livenessRecord(deviceId: string, gatewayId: string, sessionId: string, lastHeartbeatMs: number): LivenessRecord {
  return {
    deviceId,
    gatewayId,
    sessionId,
    connectedAt: iso(0),
    lastHeartbeatAt: iso(lastHeartbeatMs),
    heartbeatSeq: 1,
    uptimeMs: 1000,
    freeMemoryBytes: 1024,
    apps: [],
  };
}

export interface PlanAt {
  readonly nowMs: number;
  readonly records?: readonly LivenessRecord[];
  /** Default: watching since T0. */
  readonly observingSinceMs?: number;
  readonly policy?: Partial<EnrollmentPolicy>;
  /** Moves sent earlier, by device (default none). */
  readonly moves?: ReadonlyMap<string, MoveRecord>;
  readonly movePolicy?: Partial<MovePolicy>;
}

export const MOVE_RETRY_MS = 10_000;

/** The planner over a fixture's state at T0 + nowMs. */
export function planAt(fleet: FleetFixture, { nowMs, records = [], observingSinceMs = 0, policy = {}, moves = new Map(), movePolicy = {} }: PlanAt): Plan {
  return planReconcile({
    devices: fleet.state.devices,
    gateways: fleet.state.gateways,
    liveness: new Map(records.map((r) => [r.deviceId, r])),
    window: { now: T0 + nowMs, observingSince: T0 + observingSinceMs, unreachableAfterMs: THRESHOLD_MS },
    policy: { enrollmentTtlMs: null, autoApproveBoards: new Set(), ...policy },
    moves,
    movePolicy: { retryMs: MOVE_RETRY_MS, maxPerPass: 100, ...movePolicy },
  });
}

/** The planned commands in a compact, comparable form, optionally of one target only. */
export const commandsOf = (plan: Plan, target?: PlannedAction['target']) =>
  plan.actions.filter((a) => target === undefined || a.target === target).map((a) => ({ type: a.command.type, data: a.command.data }));
