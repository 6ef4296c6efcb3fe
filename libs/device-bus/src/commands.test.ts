import {
  InvalidBusMessage,
  decodeDeviceCommand,
  decodeDeviceCommandReply,
  encodeDeviceCommand,
  encodeDeviceCommandReply,
  errorToBusError,
  ModuleNotFound,
  type DeployToDevice,
  type RebalanceDevice,
} from './index';

const deploy: DeployToDevice = {
  type: 'DeployToDevice',
  appId: 'blinky',
  revision: 3,
  manifest: Buffer.from('manifest bytes').toString('base64'),
  signature: 'ab'.repeat(64),
  publisherKey: 'cd'.repeat(32),
};

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));

describe('device commands', () => {
  it('round-trips deploy and stop', () => {
    expect(decodeDeviceCommand(encodeDeviceCommand(deploy))).toEqual(deploy);
    expect(decodeDeviceCommand(encodeDeviceCommand({ type: 'StopOnDevice', appId: 'blinky' }))).toEqual({ type: 'StopOnDevice', appId: 'blinky' });
  });

  it.each([
    ['unknown type', { ...deploy, type: 'Reboot' }],
    ['revision 0', { ...deploy, revision: 0 }],
    ['fractional revision', { ...deploy, revision: 1.5 }],
    ['uppercase hex signature', { ...deploy, signature: 'AB'.repeat(64) }],
    ['short signature', { ...deploy, signature: 'ab'.repeat(63) }],
    ['short publisher key', { ...deploy, publisherKey: 'cd'.repeat(31) }],
    ['non-base64 manifest', { ...deploy, manifest: 'not base64!' }],
    ['unpadded manifest', { ...deploy, manifest: 'YWJjZA' }],
    ['empty manifest', { ...deploy, manifest: '' }],
    ['bad app id', { ...deploy, appId: 'Blinky' }],
    ['extra field', { ...deploy, module: 'AAAA' }],
  ])('refuses a deploy with %s', (_what, value) => {
    expect(() => decodeDeviceCommand(bytes(value))).toThrow(InvalidBusMessage);
  });

  it('round-trips a rebalance and refuses a malformed one', () => {
    const rebalance: RebalanceDevice = { type: 'RebalanceDevice', sessionId: '7c1f0e52-4a8b-4d4e-9a5e-0b1d2c3e4f50', endpoint: 'gw-b.lab:4423' };
    expect(decodeDeviceCommand(encodeDeviceCommand(rebalance))).toEqual(rebalance);
    expect(decodeDeviceCommand(encodeDeviceCommand({ ...rebalance, endpoint: '[fd00::7]:4423' }))).toMatchObject({ endpoint: '[fd00::7]:4423' });
    for (const bad of [
      { ...rebalance, endpoint: 'gw-b.lab' },
      { ...rebalance, endpoint: 'gw-b.lab:65536' },
      { ...rebalance, endpoint: 'gw-b.lab:0' },
      { ...rebalance, endpoint: 'fd00::7:4423' },
      { ...rebalance, sessionId: '' },
      { ...rebalance, sessionId: 'has space' },
      { type: 'RebalanceDevice', endpoint: 'gw-b.lab:4423' },
      { ...rebalance, deviceId: 'd1' },
    ]) {
      expect(() => decodeDeviceCommand(bytes(bad))).toThrow(InvalidBusMessage);
    }
  });

  it('names the offending field', () => {
    expect(() => decodeDeviceCommand(bytes({ ...deploy, revision: -1 }))).toThrow(/revision/);
  });

  it('refuses bytes that are not JSON', () => {
    expect(() => decodeDeviceCommand(new Uint8Array([0xff, 0xfe]))).toThrow(/not UTF-8 JSON/);
  });

  it('refuses to encode an invalid command', () => {
    expect(() => encodeDeviceCommand({ ...deploy, revision: 0 })).toThrow(InvalidBusMessage);
  });

  it('round-trips replies and requires an error when not ok', () => {
    const failed = { ok: false, error: { code: 'unavailable', message: 'device offline' } } as const;
    expect(decodeDeviceCommandReply(encodeDeviceCommandReply({ ok: true }))).toEqual({ ok: true });
    expect(decodeDeviceCommandReply(encodeDeviceCommandReply(failed))).toEqual(failed);
    expect(() => decodeDeviceCommandReply(bytes({ ok: false }))).toThrow(InvalidBusMessage);
    expect(() => decodeDeviceCommandReply(bytes({ ok: false, error: { code: 'nope', message: 'x' } }))).toThrow(InvalidBusMessage);
    expect(() => decodeDeviceCommandReply(bytes({ ok: true, error: { code: 'internal', message: 'x' } }))).toThrow(InvalidBusMessage);
  });

  it('turns errors into reply errors without leaking unexpected ones', () => {
    expect(errorToBusError(new ModuleNotFound('a'.repeat(64)))).toEqual({ code: 'not_found', message: expect.stringContaining('a'.repeat(64)) });
    expect(errorToBusError(new Error('secret path /etc/key'))).toEqual({ code: 'internal', message: 'internal error while handling the command' });
  });
});
