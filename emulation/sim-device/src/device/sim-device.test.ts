import { SimDeviceConfigError } from '../errors';
import { SimDevice, type SimDeviceConfig } from './sim-device';

const base: SimDeviceConfig = { name: 'cfg', gateway: '127.0.0.1:1', gatewayCa: '' };

describe('SimDevice configuration', () => {
  it('starts disconnected, with no identity or deviceId yet', () => {
    const device = new SimDevice(base);
    expect(device.state).toBe('disconnected');
    expect(device.deviceId).toBeUndefined();
    expect(device.publicKeyHex).toBeUndefined();
    expect(device.appSummaries()).toEqual([]);
  });

  it('refuses settings the protocol cannot carry', () => {
    const invalid: Partial<SimDeviceConfig>[] = [
      { gateway: 'no-port' },
      { maxFrameBytes: 1_000 },
      { runtime: { maxInstances: 65 } },
      { runtime: { maxModuleBytes: -1 } },
      { ramBytes: 1.5 },
      { keySeed: new Uint8Array(31) },
    ];
    for (const change of invalid) expect(() => new SimDevice({ ...base, ...change })).toThrow(SimDeviceConfigError);
  });
});
