import type { DeviceStatus, GatewayStatus } from '@wasmbed/domain';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { ACTION_KINDS } from './actions';
import type { FleetState } from './fleet-state';

/** How a planned command ended: events written, nothing to write, refused by the domain, or an error. */
export type ActionOutcome = 'applied' | 'unchanged' | 'refused' | 'failed';
export const ACTION_OUTCOMES: readonly ActionOutcome[] = ['applied', 'unchanged', 'refused', 'failed'];

// Records over the status unions, so a new status cannot be forgotten here.
const DEVICE_STATUSES = Object.keys({
  Pending: 0,
  Enrolling: 0,
  Enrolled: 0,
  Connected: 0,
  Disconnected: 0,
  Unreachable: 0,
  Revoked: 0,
} satisfies Record<DeviceStatus, 0>) as DeviceStatus[];
const GATEWAY_STATUSES = Object.keys({ Registered: 0, Online: 0, Offline: 0, Draining: 0, Deregistered: 0 } satisfies Record<GatewayStatus, 0>) as GatewayStatus[];

export function countBy<S extends string>(statuses: readonly S[], values: Iterable<S>): Record<S, number> {
  const counts = Object.fromEntries(statuses.map((s) => [s, 0])) as Record<S, number>;
  for (const value of values) counts[value] += 1;
  return counts;
}

export function deviceCounts(state: FleetState): Record<DeviceStatus, number> {
  return countBy(DEVICE_STATUSES, [...state.devices.values()].map((e) => e.device.status));
}

export function gatewayCounts(state: FleetState): Record<GatewayStatus, number> {
  return countBy(GATEWAY_STATUSES, [...state.gateways.values()].map((e) => e.gateway.status));
}

/** Everything /metrics shows about the controller, on its own registry. */
export class ControllerMetrics {
  readonly registry = new Registry();
  private readonly devices = new Gauge({
    name: 'wasmbed_device_controller_devices',
    help: 'Devices by status in the fleet log',
    labelNames: ['status'],
    registers: [this.registry],
  });
  private readonly gateways = new Gauge({
    name: 'wasmbed_device_controller_gateways',
    help: 'Gateways by status in the fleet log',
    labelNames: ['status'],
    registers: [this.registry],
  });
  readonly misplaced = new Gauge({
    name: 'wasmbed_device_controller_misplaced_devices',
    help: 'Connected devices whose session is on another gateway than the one assigned to them',
    registers: [this.registry],
  });
  readonly fleetPosition = new Gauge({
    name: 'wasmbed_device_controller_fleet_log_position',
    help: 'Position of the last fleet log commit folded in',
    registers: [this.registry],
  });
  readonly actions = new Counter({
    name: 'wasmbed_device_controller_actions_total',
    help: 'Commands sent by the controller, by rule and outcome',
    labelNames: ['action', 'outcome'],
    registers: [this.registry],
  });
  readonly passes = new Counter({
    name: 'wasmbed_device_controller_reconcile_passes_total',
    help: 'Reconcile passes by outcome (skipped while not caught up or NATS is down)',
    labelNames: ['outcome'],
    registers: [this.registry],
  });
  readonly passSeconds = new Histogram({
    name: 'wasmbed_device_controller_reconcile_seconds',
    help: 'Duration of a reconcile pass that ran (planning and commands)',
    buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30],
    registers: [this.registry],
  });

  constructor(options: { defaultMetrics?: boolean } = {}) {
    if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: this.registry });
    // Every series exists from the start, so rates and alerts work before the first action.
    for (const action of ACTION_KINDS) for (const outcome of ACTION_OUTCOMES) this.actions.inc({ action, outcome }, 0);
    for (const outcome of ['ok', 'failed', 'skipped']) this.passes.inc({ outcome }, 0);
  }

  observeFleet(state: FleetState, misplaced: number): void {
    for (const [status, n] of Object.entries(deviceCounts(state))) this.devices.set({ status }, n);
    for (const [status, n] of Object.entries(gatewayCounts(state))) this.gateways.set({ status }, n);
    this.misplaced.set(misplaced);
    this.fleetPosition.set(state.position);
  }
}
