// Test-only (excluded from the build): what gateways write about a live fleet — the
// log entries of a gateway going online and of devices connecting, and liveness
// records kept fresh as a heartbeating session's gateway keeps them.
import type { EventStore } from '@wasmbed/event-log';
import type { LivenessRecord, LivenessStore } from '@wasmbed/device-bus';
import { send } from './event-log';
import { CAPABILITIES } from './fleet-fixture';

export const gatewayActorOf = (gatewayId: string) => `gateway:${gatewayId}`;

/** A record of a heartbeat just now. */
export function freshRecord(deviceId: string, gatewayId: string, sessionId: string): LivenessRecord {
  const now = new Date().toISOString();
  return { deviceId, gatewayId, sessionId, connectedAt: now, lastHeartbeatAt: now, heartbeatSeq: 1, uptimeMs: 1, freeMemoryBytes: 1, apps: [] };
}

/** Registered (endpoint `<id>.lab:4423`) and online as instance `instanceId`. */
export async function onlineGateway(store: EventStore, gatewayId: string, instanceId: string, capacity = 10): Promise<void> {
  await send(store, gatewayActorOf(gatewayId), { type: 'RegisterGateway', data: { gatewayId, endpoint: `${gatewayId}.lab:4423`, region: 'lab', capacity } });
  await send(store, gatewayActorOf(gatewayId), { type: 'ReportGatewayOnline', data: { gatewayId, instanceId } });
}

/** Pre-registered, admitted and connected, as the gateway records it. */
export async function connectDevice(store: EventStore, deviceId: string, key: string, gatewayId: string, sessionId: string): Promise<void> {
  await send(store, 'operator', { type: 'RegisterDevice', data: { deviceId, publicKey: key, board: 'nrf52840dk', architecture: 'thumbv7em' } });
  await send(store, gatewayActorOf(gatewayId), {
    type: 'RequestEnrollment',
    data: { deviceId, publicKey: key, gatewayId, pairingModeActive: false, autoApprove: false, capabilities: CAPABILITIES },
  });
  await send(store, gatewayActorOf(gatewayId), { type: 'MarkConnected', data: { deviceId, gatewayId, sessionId } });
}

/** Liveness records kept fresh per device, as the gateway holding each session does: one at once, then one per interval. */
export class Heartbeats {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly liveness: LivenessStore,
    private readonly intervalMs: number,
  ) {}

  /** Replaces the device's earlier heartbeats (it moved to another session). */
  keepAlive(deviceId: string, gatewayId: string, sessionId: string): void {
    this.stop(deviceId);
    const put = () => void this.liveness.put(freshRecord(deviceId, gatewayId, sessionId)).catch(() => undefined);
    put();
    this.timers.set(deviceId, setInterval(put, this.intervalMs));
  }

  stop(deviceId: string): void {
    clearInterval(this.timers.get(deviceId));
    this.timers.delete(deviceId);
  }

  stopAll(): void {
    for (const deviceId of [...this.timers.keys()]) this.stop(deviceId);
  }
}
