import type { DeviceStatus } from '@wasmbed/domain';
import { deviceAction, type PlannedAction } from '../actions';
import type { DeviceEntry, GatewayEntry } from '../fleet-state';
import { gatewayLoads, unfitTarget } from './gateway-load';

/** How far the drain of one gateway has come. */
export interface DrainStatus {
  readonly gatewayId: string;
  /** Devices still assigned to it (reassignments planned in this pass not yet counted off). */
  readonly assigned: number;
  /** Sessions still open on it. */
  readonly connected: number;
  /** Why some of its devices cannot be reassigned now. */
  readonly blocked?: string;
}

/** Devices a drain reassigns: every one that may still connect (not revoked, not awaiting approval). */
const MOVABLE: readonly DeviceStatus[] = ['Pending', 'Enrolled', 'Connected', 'Disconnected', 'Unreachable'];

/** The device belongs to the gateway: assigned to it, or (never assigned) connected through it. */
function belongsTo(entry: DeviceEntry, gatewayId: string): boolean {
  const { assignedGateway, session, status } = entry.device;
  if (!MOVABLE.includes(status)) return false;
  return assignedGateway === gatewayId || (assignedGateway === null && status === 'Connected' && session?.gatewayId === gatewayId);
}

const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Draining a gateway (DrainGateway) moves its devices away: each device that
 * belongs to it is reassigned (AssignGateway) to the Online gateway with the fewest
 * connected devices that still has room under its capacity, ties broken by name;
 * the move rule then sends connected ones over. Devices already given an action in
 * this pass (`busy`) wait for the next one. Nothing is reassigned while no gateway
 * can take them: they stay where they are.
 */
export function drainPlan(
  devices: ReadonlyMap<string, DeviceEntry>,
  gateways: ReadonlyMap<string, GatewayEntry>,
  busy: ReadonlySet<string>,
): { actions: PlannedAction[]; drains: DrainStatus[] } {
  const draining = [...gateways.values()].filter((g) => g.gateway.draining && g.gateway.status !== 'Deregistered').map((g) => g.gateway.gatewayId).sort(byId);
  if (draining.length === 0) return { actions: [], drains: [] };
  const loads = gatewayLoads(devices);
  const targets = [...gateways.values()].filter((g) => unfitTarget(g.gateway.gatewayId, g) === undefined);
  const actions: PlannedAction[] = [];
  const drains = draining.map((gatewayId): DrainStatus => {
    const members = [...devices.values()].filter((e) => belongsTo(e, gatewayId)).sort((a, b) => byId(a.device.deviceId, b.device.deviceId));
    const connected = [...devices.values()].filter((e) => e.device.status === 'Connected' && e.device.session?.gatewayId === gatewayId).length;
    let blocked: string | undefined;
    for (const entry of members) {
      const { deviceId } = entry.device;
      if (busy.has(deviceId)) continue;
      const target = leastLoaded(targets, loads);
      if (target === undefined) {
        blocked = targets.length === 0 ? 'no other gateway is online and not draining' : 'every online gateway is at capacity';
        break;
      }
      // Every device takes a slot in this plan, connected or not: it may connect at any time.
      loads.set(target, (loads.get(target) ?? 0) + 1);
      actions.push(deviceAction('drain_reassign', entry.version, `${gatewayId}->${target}`, { type: 'AssignGateway', data: { deviceId, gatewayId: target } }));
    }
    return { gatewayId, assigned: members.length, connected, ...(blocked ? { blocked } : {}) };
  });
  return { actions, drains };
}

function leastLoaded(targets: readonly GatewayEntry[], loads: ReadonlyMap<string, number>): string | undefined {
  let best: { id: string; load: number } | undefined;
  for (const { gateway } of targets) {
    const load = loads.get(gateway.gatewayId) ?? 0;
    if (load >= gateway.config.capacity) continue;
    if (best === undefined || load < best.load || (load === best.load && gateway.gatewayId < best.id)) best = { id: gateway.gatewayId, load };
  }
  return best?.id;
}
