import type { DeviceState } from '../device/sim-device';
import { formatSummary, summarize } from './fleet-summary';

const device = (state: DeviceState, apps: string[] = []) => ({ state, appSummaries: () => apps.map((s) => ({ state: s })) });

describe('fleet summary', () => {
  it('counts device states and running apps', () => {
    const summary = summarize([device('connected', ['running', 'failed']), device('connected', ['running']), device('enrolling'), device('rejected')]);
    expect(summary).toEqual({ devices: 4, states: { connected: 2, enrolling: 1, connecting: 0, disconnected: 0, rejected: 1 }, appsRunning: 2 });
    expect(formatSummary(summary)).toBe('fleet: 4 devices — 2 connected, 1 enrolling, 1 rejected; apps running 2');
  });

  it('mentions connecting and disconnected devices only when there are some', () => {
    const line = formatSummary(summarize([device('connecting'), device('disconnected'), device('disconnected')]));
    expect(line).toBe('fleet: 3 devices — 0 connected, 0 enrolling, 1 connecting, 2 disconnected, 0 rejected; apps running 0');
  });
});
