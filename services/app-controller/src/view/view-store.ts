import type { DeviceStatusMessage, LivenessRecord } from '@wasmbed/device-bus';
import { evolveDevice, NAME_PATTERN, type ApplicationEvent, type Device, type DeviceEvent, type GatewayEvent } from '@wasmbed/domain';
import type { RecordedEvent } from '@wasmbed/event-log';
import { foldAppEntry } from './app-entries';
import { foldLivenessRecord, foldStatusMessage } from './attested';
import { reportKey, type AppEntry, type AttestedDevice, type CommandMemo, type ControllerView, type DeviceAppReports, type DeviceAttempt } from './types';

export type FleetEvent = DeviceEvent | GatewayEvent;

/**
 * The controller's one mutable view. Sources fold into it (logs, liveness,
 * status), the executor writes what it did into `attempts` and `commands`, and
 * the planner reads it as a ControllerView between two changes.
 */
export class ViewStore implements ControllerView {
  readonly apps = new Map<string, AppEntry>();
  readonly devices = new Map<string, Device>();
  readonly attested = new Map<string, AttestedDevice>();
  readonly reports = new Map<string, DeviceAppReports>();
  readonly attempts = new Map<string, DeviceAttempt>();
  readonly commands = new Map<string, CommandMemo>();

  applyAppEvent(event: RecordedEvent<ApplicationEvent>): AppEntry {
    const appId = event.stream.aggregateId;
    const entry = foldAppEntry(this.apps.get(appId), { type: event.type, data: event.data } as ApplicationEvent, event.position);
    this.apps.set(appId, entry);
    return entry;
  }

  applyFleetEvent(event: RecordedEvent<FleetEvent>): void {
    if (event.stream.aggregateType !== 'device') return;
    const deviceId = event.stream.aggregateId;
    const after = evolveDevice(this.devices.get(deviceId) ?? { status: 'Initial' }, { type: event.type, data: event.data } as DeviceEvent);
    if (after.status !== 'Initial') this.devices.set(deviceId, after);
  }

  /** A liveness record was written (`record`) or removed (undefined: the device is offline). */
  applyLiveness(deviceId: string, record: LivenessRecord | undefined, at: number): void {
    if (record === undefined) this.attested.delete(deviceId);
    else this.attested.set(deviceId, foldLivenessRecord(this.attested.get(deviceId), record, at));
  }

  /** Only about applications of the platform (devices may hold apps with other names). */
  applyStatus(message: DeviceStatusMessage, at: number): boolean {
    if (!NAME_PATTERN.test(message.appId)) return false;
    const key = reportKey(message.deviceId, message.appId);
    this.reports.set(key, foldStatusMessage(this.reports.get(key), message, at));
    return true;
  }

  setAttempt(key: string, attempt: DeviceAttempt): void {
    this.attempts.set(key, attempt);
  }

  setCommand(key: string, memo: CommandMemo): void {
    this.commands.set(key, memo);
  }

  /** Forgets what can no longer matter: memos of commands the application has moved past, and everything about deleted applications. */
  prune(): void {
    for (const [key, memo] of this.commands) {
      const entry = this.apps.get(memo.appId);
      const caughtUp = memo.outcome !== 'applied' || (entry?.version ?? 0) >= memo.resultVersion;
      if (!memo.inFlight && caughtUp && (entry === undefined || entry.version > memo.plannedAtVersion)) this.commands.delete(key);
    }
    const deleted = (appId: string) => this.apps.get(appId)?.app.phase === 'Deleted';
    for (const [key, attempt] of this.attempts) if (!attempt.inFlight && deleted(attempt.appId)) this.attempts.delete(key);
    for (const [key, reports] of this.reports) if (deleted(reports.appId)) this.reports.delete(key);
  }
}
