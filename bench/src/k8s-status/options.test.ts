import { K8S_STATUS_DEFAULTS, parseK8sStatusOptions } from './options';

describe('parseK8sStatusOptions', () => {
  it('defaults to 10,000 devices and the sync’s 5 s status interval', () => {
    expect(parseK8sStatusOptions([])).toEqual(K8S_STATUS_DEFAULTS);
    expect(K8S_STATUS_DEFAULTS).toMatchObject({ devices: 10_000, intervalMs: 5_000 });
  });

  it('reads flags and refuses values out of range or unknown flags', () => {
    expect(parseK8sStatusOptions(['--devices', '500', '--interval-ms', '1000'])).toMatchObject({ devices: 500, intervalMs: 1_000 });
    expect(() => parseK8sStatusOptions(['--devices', '0'])).toThrow(/--devices/);
    expect(() => parseK8sStatusOptions(['--fleet', '3'])).toThrow(/unknown option/);
    expect(parseK8sStatusOptions(['--sync-workers', '16', '--status-in-flight', '32'])).toMatchObject({ syncWorkers: 16, statusInFlight: 32 });
    expect(() => parseK8sStatusOptions(['--sync-workers', '0'])).toThrow(/--sync-workers/);
  });
});
