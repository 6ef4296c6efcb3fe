import { requireSpec } from '@wasmbed/domain';
import { decodeManifest, verifyManifest } from '@wasmbed/protocol';
import { signedSpec } from '../test-support/publisher';
import { SHA_1, specInput } from '../test-support/views';
import { classifyReply, deployCommandFor, describeReply } from './device-command-builders';

const seed = new Uint8Array(32).fill(7);

describe('deployCommandFor', () => {
  const { manifestSignature: _s, publisherKey: _k, ...unsigned } = specInput({
    config: { memoryLimitBytes: 65536, cpuTimeLimitMs: 50, env: { MODE: 'fast' }, args: ['-v'], autoRestart: true, maxRestarts: 2 },
  });

  it('rebuilds the very manifest the publisher signed, so the signature verifies', () => {
    const spec = requireSpec('spec', signedSpec('thermo', 3, unsigned, seed));
    const command = deployCommandFor('thermo', 3, spec);
    const bytes = new Uint8Array(Buffer.from(command.manifest, 'base64'));
    expect(command).toMatchObject({ type: 'DeployToDevice', appId: 'thermo', revision: 3, signature: spec.manifestSignature, publisherKey: spec.publisherKey });
    expect(verifyManifest(bytes, Buffer.from(command.signature, 'hex'), Buffer.from(command.publisherKey, 'hex'))).toBe(true);
    const manifest = decodeManifest(bytes);
    expect(manifest).toMatchObject({ name: 'thermo', revision: 3, sizeBytes: 2048, cpuTimeLimitMs: 50, restart: { autoRestart: true, maxRestarts: 2 } });
    expect(Buffer.from(manifest.sha256).toString('hex')).toBe(SHA_1);
  });

  it('gives a manifest the signature does not cover for another revision (a device would refuse it)', () => {
    const spec = requireSpec('spec', signedSpec('thermo', 3, unsigned, seed));
    const other = deployCommandFor('thermo', 4, spec);
    expect(verifyManifest(Buffer.from(other.manifest, 'base64'), Buffer.from(other.signature, 'hex'), Buffer.from(other.publisherKey, 'hex'))).toBe(false);
  });
});

describe('classifyReply', () => {
  const error = (code: 'invalid_argument' | 'failed_precondition' | 'unavailable' | 'not_found' | 'internal', message: string) =>
    ({ ok: false, error: { code, message } }) as const;

  it('reads the gateway and bus replies', () => {
    expect(classifyReply({ ok: true })).toBe('accepted');
    expect(classifyReply(error('invalid_argument', 'bad_signature: the manifest signature does not verify'))).toBe('rejected');
    expect(classifyReply(error('failed_precondition', 'missing_host_function: wasmbed.camera_capture'))).toBe('rejected');
    expect(classifyReply(error('failed_precondition', 'device refused the deploy: untrusted_publisher: x'))).toBe('rejected');
    expect(classifyReply(error('failed_precondition', 'the deploy of hello revision 2 to this device is still in progress'))).toBe('busy');
    expect(classifyReply(error('unavailable', "device 'd1' is offline: no gateway holds a session for it"))).toBe('transport');
    expect(classifyReply(error('not_found', 'module 00 not found'))).toBe('transport');
    expect(classifyReply(error('internal', 'internal error while handling the command'))).toBe('transport');
  });

  it('describes an error reply as code and message', () => {
    expect(describeReply({ ok: true })).toBeNull();
    expect(describeReply(error('unavailable', 'gone'))).toBe('unavailable: gone');
  });
});
