import { validateRequest } from '@wasmbed/grpc-kit';
import { RegisterDeviceRequest, SetPairingModeRequest } from '@wasmbed/proto';
import { setPairingModeSchema } from '../commands/pairing';
import { bytesOfLength, checked, commandFields } from './request-schemas';

const pairing = (target: SetPairingModeRequest['target'], durationSeconds = 0) =>
  SetPairingModeRequest.fromPartial({ target, enabled: true, durationSeconds });

describe('edge request schemas', () => {
  const register = checked<RegisterDeviceRequest>({ ...commandFields, publicKey: bytesOfLength(32, 'an Ed25519 public key') });

  it('pass a valid request through unchanged, unknown fields included', async () => {
    const request = RegisterDeviceRequest.fromPartial({ name: 'dev-1', publicKey: Buffer.alloc(32), board: 'b', labels: { a: 'b' } });
    expect(await validateRequest(register, request)).toEqual(request);
  });

  it('name every offending field in request terms', async () => {
    const request = RegisterDeviceRequest.fromPartial({ name: 'Dev_1', publicKey: Buffer.alloc(16), commandId: 'x'.repeat(129) });
    await expect(validateRequest(register, request)).rejects.toThrow(
      /commandId: must be at most 128 characters; name: must be a DNS label.*; publicKey: must be exactly 32 bytes \(an Ed25519 public key\)/,
    );
  });

  it('require a pairing target and check the chosen one', async () => {
    await expect(validateRequest(setPairingModeSchema, pairing(undefined))).rejects.toThrow('target: is required: set gateway or allGateways');
    await expect(validateRequest(setPairingModeSchema, pairing({ $case: 'gateway', value: 'GW' }))).rejects.toThrow('target.value: must be a DNS label');
    await expect(validateRequest(setPairingModeSchema, pairing({ $case: 'allGateways', value: false }))).rejects.toThrow('target.value: must be true when chosen');
    await expect(validateRequest(setPairingModeSchema, pairing({ $case: 'gateway', value: 'gw-1' }, 3601))).rejects.toThrow('durationSeconds: must be at most 3600');
    await expect(validateRequest(setPairingModeSchema, pairing({ $case: 'allGateways', value: true }, 3600))).resolves.toMatchObject({ durationSeconds: 3600 });
  });
});
