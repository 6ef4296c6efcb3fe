import { InvalidDeviceId, deviceCommandSubject, deviceLogSubject, deviceStatusSubject, parseDeviceSubject } from './index';

describe('device subjects', () => {
  it('builds the per-device subjects', () => {
    expect(deviceCommandSubject('dev-1')).toBe('wasmbed.device.dev-1.cmd');
    expect(deviceStatusSubject('dev-1')).toBe('wasmbed.device.dev-1.status');
    expect(deviceLogSubject('dev-1')).toBe('wasmbed.device.dev-1.log');
  });

  it.each(['', 'a.b', 'dev-*', '>', 'Dev', 'dev 1', '-dev', 'x'.repeat(64)])('refuses device id %p', (id) => {
    expect(() => deviceCommandSubject(id)).toThrow(InvalidDeviceId);
  });

  it('parses its own subjects and nothing else', () => {
    expect(parseDeviceSubject('wasmbed.device.dev-1.status')).toEqual({ deviceId: 'dev-1', kind: 'status' });
    expect(parseDeviceSubject('wasmbed.device.dev-1.cmd')).toEqual({ deviceId: 'dev-1', kind: 'cmd' });
    expect(parseDeviceSubject('wasmbed.device.dev-1.other')).toBeUndefined();
    expect(parseDeviceSubject('wasmbed.evt.device.dev-1')).toBeUndefined();
    expect(parseDeviceSubject('wasmbed.device.Dev.log')).toBeUndefined();
  });
});
