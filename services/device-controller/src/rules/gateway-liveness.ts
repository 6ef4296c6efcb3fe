import { gatewayAction, type PlannedAction } from '../actions';
import type { DeviceEntry, GatewayEntry } from '../fleet-state';
import type { SessionLiveness } from '../session-liveness';

/**
 * The sessions each gateway's latest instance holds, judged: sessions opened after
 * the instance came online (older ones belong to an earlier process of the same
 * gateway) that are still Connected, or that this controller marked Unreachable
 * (silence the gateway failed to report). Sessions the gateway closed or marked
 * unreachable itself prove it was alive and are left out.
 */
function heldSessions(
  gateways: ReadonlyMap<string, GatewayEntry>,
  devices: ReadonlyMap<string, DeviceEntry>,
  assessed: ReadonlyMap<string, SessionLiveness>,
): Map<string, SessionLiveness[]> {
  const held = new Map<string, SessionLiveness[]>();
  for (const [deviceId, entry] of devices) {
    const session = entry.device.session;
    const liveness = assessed.get(deviceId);
    if (session === null || liveness === undefined || entry.sessionPosition === null) continue;
    if (entry.device.status !== 'Connected' && !(entry.device.status === 'Unreachable' && entry.unreachableByController)) continue;
    const instance = gateways.get(session.gatewayId)?.instance;
    if (instance === null || instance === undefined || entry.sessionPosition <= instance.onlinePosition) continue;
    const list = held.get(session.gatewayId) ?? [];
    list.push(liveness);
    held.set(session.gatewayId, list);
  }
  return held;
}

/**
 * A gateway instance is offline when it holds sessions and every one of them is
 * stale: a live gateway would have closed them (its own deadline comes a full
 * heartbeat interval earlier). A gateway holding no session cannot be judged at all.
 * The reverse: a gateway this controller reported offline whose sessions heartbeat
 * again was only cut off, and the same instance is reported online again.
 */
export function gatewayLivenessActions(
  gateways: ReadonlyMap<string, GatewayEntry>,
  devices: ReadonlyMap<string, DeviceEntry>,
  assessed: ReadonlyMap<string, SessionLiveness>,
): PlannedAction[] {
  const held = heldSessions(gateways, devices, assessed);
  const actions: PlannedAction[] = [];
  for (const [gatewayId, entry] of gateways) {
    const { gateway, instance, version } = entry;
    const sessions = held.get(gatewayId) ?? [];
    if (instance === null || sessions.length === 0) continue;
    const { instanceId } = instance;
    const online = (gateway.status === 'Online' || gateway.status === 'Draining') && gateway.instanceId === instanceId;
    if (online && sessions.every((s) => s.state === 'stale')) {
      actions.push(gatewayAction('report_gateway_offline', version, instanceId, { type: 'ReportGatewayOffline', data: { gatewayId, instanceId } }));
    } else if (gateway.status === 'Offline' && entry.offlineByController && sessions.some((s) => s.state === 'alive')) {
      actions.push(gatewayAction('report_gateway_online', version, instanceId, { type: 'ReportGatewayOnline', data: { gatewayId, instanceId } }));
    }
  }
  return actions;
}
