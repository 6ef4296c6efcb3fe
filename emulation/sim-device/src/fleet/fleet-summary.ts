import type { DeviceState } from '../device/sim-device';

export const DEVICE_STATES: readonly DeviceState[] = ['connected', 'enrolling', 'connecting', 'disconnected', 'rejected'];

export interface FleetSummary {
  readonly devices: number;
  readonly states: Readonly<Record<DeviceState, number>>;
  /** Apps in state running, over all devices. */
  readonly appsRunning: number;
}

export function summarize(devices: Iterable<{ readonly state: DeviceState; appSummaries(): readonly { readonly state: string }[] }>): FleetSummary {
  const states = Object.fromEntries(DEVICE_STATES.map((s) => [s, 0])) as Record<DeviceState, number>;
  let count = 0;
  let appsRunning = 0;
  for (const device of devices) {
    count += 1;
    states[device.state] += 1;
    for (const app of device.appSummaries()) if (app.state === 'running') appsRunning += 1;
  }
  return { devices: count, states, appsRunning };
}

/**
 * "fleet: 100 devices — 97 connected, 3 enrolling, 0 rejected; apps running 97".
 * connecting and disconnected appear only when some device is in them, so a
 * settled fleet prints the short form.
 */
export function formatSummary(summary: FleetSummary): string {
  const { states } = summary;
  const parts = [`${states.connected} connected`, `${states.enrolling} enrolling`];
  if (states.connecting > 0) parts.push(`${states.connecting} connecting`);
  if (states.disconnected > 0) parts.push(`${states.disconnected} disconnected`);
  parts.push(`${states.rejected} rejected`);
  return `fleet: ${summary.devices} devices — ${parts.join(', ')}; apps running ${summary.appsRunning}`;
}
