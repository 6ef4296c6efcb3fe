import { generateKeyPairSync } from 'node:crypto';
import { applicationDecider, initialStateOf, type ApplicationCommand, type ApplicationSpecInput, type ApplicationState } from '@wasmbed/domain';
import { encodeManifest, manifestFromSource, rawEd25519PublicKey, signManifest } from '@wasmbed/protocol';
import { history, META } from '../test-support/domain';
import { admittingDecider } from './admitting-decider';
import { ManifestNotEncodable, ManifestSignatureInvalid, UntrustedPublisher } from './errors';
import { PublisherTrust } from './publisher-trust';

const { privateKey } = generateKeyPairSync('ed25519');
const publisherKey = Buffer.from(rawEd25519PublicKey(privateKey)).toString('hex');

/** A spec signed, as a publisher does, for `revision` of application 'app'. */
function signedSpec(revision: number, env: Record<string, string> = {}): ApplicationSpecInput {
  const base = {
    module: { sha256: 'ab'.repeat(32), sizeBytes: 1234 },
    entryPoint: 'run',
    requiredHostFunctions: ['wasmbed.sleep_ms', 'wasmbed.log'],
    config: { memoryLimitBytes: 65_536, cpuTimeLimitMs: 0, env, args: [], autoRestart: true, maxRestarts: 2 },
  };
  const signature = signManifest(encodeManifest(manifestFromSource({ name: 'app', revision, ...base })), privateKey);
  return { ...base, manifestSignature: Buffer.from(signature).toString('hex'), publisherKey, targets: { allDevices: true } };
}

const initial = initialStateOf(applicationDecider);
const create = (spec: ApplicationSpecInput): ApplicationCommand => ({ type: 'CreateApplication', data: { applicationId: 'app', spec }, metadata: META });
const update = (spec: ApplicationSpecInput): ApplicationCommand => ({ type: 'UpdateApplication', data: { applicationId: 'app', spec }, metadata: META });

describe('admittingDecider', () => {
  const decider = admittingDecider(new PublisherTrust());
  const afterCreate = history(applicationDecider, [create(signedSpec(1))]).state as ApplicationState;

  it('admits a revision signed over its own manifest', () => {
    expect(decider.decide(create(signedSpec(1)), initial).map((e) => e.type)).toEqual([
      'ApplicationCreated',
      'ApplicationRevisionCreated',
    ]);
    expect(decider.decide(update(signedSpec(2, { A: '1' })), afterCreate).map((e) => e.type)).toEqual(['ApplicationRevisionCreated']);
  });

  it('refuses a signature made for another revision, naming the one being created', () => {
    expect(() => decider.decide(update(signedSpec(1, { A: '1' })), afterCreate)).toThrow(new ManifestSignatureInvalid('app', 2));
  });

  it('lets an unchanged spec through: it creates no revision', () => {
    expect(decider.decide(update(signedSpec(1)), afterCreate)).toEqual([]);
  });

  it('refuses publishers outside a configured trust list', () => {
    const strict = admittingDecider(new PublisherTrust(['cd'.repeat(32)]));
    expect(() => strict.decide(create(signedSpec(1)), initial)).toThrow(UntrustedPublisher);
    const trusting = admittingDecider(new PublisherTrust([publisherKey.toUpperCase()]));
    expect(trusting.decide(create(signedSpec(1)), initial)).toHaveLength(2);
  });

  it('refuses a spec no device manifest can carry', () => {
    // No publisher could sign it either: env values are limited to 256 bytes in a manifest.
    const signed = signedSpec(1);
    const spec = { ...signed, config: { ...signed.config, env: { A: 'x'.repeat(300) } } };
    expect(() => decider.decide(create(spec), initial)).toThrow(
      new ManifestNotEncodable('app', 1, 'invalid_manifest at manifest.config.env.A: must be 0 to 256 bytes of UTF-8, got 300'),
    );
  });
});
