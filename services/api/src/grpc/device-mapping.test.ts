import { deviceDecider, type Device as DeviceState } from '@wasmbed/domain';
import { DevicePhase, RegisterDeviceRequest } from '@wasmbed/proto';
import { history, META } from '../test-support/domain';
import { toDeviceMessage } from '../views/device-view';
import { toAssignGateway, toRegisterDevice, toRevokeDevice, toSetPairingMode, toUpdateDeviceLabels } from './device-mapping';

const request = RegisterDeviceRequest.fromPartial({
  name: 'dev-1',
  publicKey: Buffer.from('AB'.repeat(32), 'hex'),
  board: 'nrf52840dk',
  architecture: 'thumbv7em',
  labels: { env: 'prod', site: 'lab-2' },
});

describe('DeviceService request mapping', () => {
  it('turns RegisterDevice into the domain command: key as lowercase hex, empty gateway as none', () => {
    expect(toRegisterDevice(request, META)).toEqual({
      type: 'RegisterDevice',
      data: {
        deviceId: 'dev-1',
        publicKey: 'ab'.repeat(32),
        board: 'nrf52840dk',
        architecture: 'thumbv7em',
        labels: { env: 'prod', site: 'lab-2' },
        preferredGateway: null,
      },
      metadata: META,
    });
    expect(toRegisterDevice({ ...request, preferredGateway: 'gw-1' }, META).data.preferredGateway).toBe('gw-1');
  });

  it('round-trips through the domain and back to the proto Device', () => {
    const { state } = history(deviceDecider, [toRegisterDevice({ ...request, preferredGateway: 'gw-1' }, META)]);
    const device = toDeviceMessage({ device: state as DeviceState, preferredGateway: 'gw-1', gateway: null, version: 9 }, undefined);
    expect(device).toMatchObject({
      name: request.name,
      phase: DevicePhase.DEVICE_PHASE_PENDING,
      board: request.board,
      architecture: request.architecture,
      labels: request.labels,
      preferredGateway: 'gw-1',
      gateway: '',
      sessionId: '',
      capabilities: undefined,
      applications: [],
      registeredAt: new Date(META.now),
      enrolledAt: undefined,
      version: 9,
    });
    expect(device.publicKey.equals(request.publicKey)).toBe(true);
  });

  it('maps the other device commands field by field', () => {
    expect(toRevokeDevice({ commandId: '', expectedVersion: 0, name: 'dev-1', reason: 'stolen' }, META).data).toEqual({ deviceId: 'dev-1', reason: 'stolen' });
    expect(toAssignGateway({ commandId: '', expectedVersion: 0, name: 'dev-1', gateway: 'gw-2' }, META).data).toEqual({ deviceId: 'dev-1', gatewayId: 'gw-2' });
    const labels = toUpdateDeviceLabels({ commandId: '', expectedVersion: 0, name: 'dev-1', labels: { a: 'b' } }, META);
    expect(labels).toEqual({ type: 'UpdateDeviceLabels', data: { deviceId: 'dev-1', labels: { a: 'b' } }, metadata: META });
  });

  it('passes a pairing duration only when enabling, and 0 as the domain default', () => {
    expect(toSetPairingMode('gw-1', { enabled: true, durationSeconds: 600 }, META).data).toEqual({ gatewayId: 'gw-1', enabled: true, durationSeconds: 600 });
    expect(toSetPairingMode('gw-1', { enabled: true, durationSeconds: 0 }, META).data.durationSeconds).toBeUndefined();
    expect(toSetPairingMode('gw-1', { enabled: false, durationSeconds: 600 }, META).data.durationSeconds).toBeUndefined();
  });
});
