/** Application commands through the api, as a publisher sends them. */
import type { DeployToDevice } from '@wasmbed/device-bus';
import { ed25519KeyPairFromSeed } from '@wasmbed/pki';
import type { ApplicationServiceClient } from '@wasmbed/proto';
import { encodeManifest, signManifest, type Manifest } from '@wasmbed/protocol';
import { call, signedApplicationSpec, type SignedSpecOptions } from '@wasmbed/testing';

export { call, type SignedSpecOptions };

export async function createApp(apps: ApplicationServiceClient, spec: SignedSpecOptions): Promise<void> {
  await call((done) => apps.createApplication({ commandId: '', expectedVersion: 0, name: spec.name, spec: signedApplicationSpec(spec) }, done));
}

export async function updateApp(apps: ApplicationServiceClient, spec: SignedSpecOptions): Promise<number> {
  const res = await call<{ revision: number }>((done) => apps.updateApplication({ commandId: '', expectedVersion: 0, name: spec.name, spec: signedApplicationSpec(spec) }, done));
  return res.revision;
}

export async function deployApp(apps: ApplicationServiceClient, name: string, revision = 0): Promise<void> {
  await call((done) => apps.deployApplication({ commandId: '', expectedVersion: 0, name, revision }, done));
}

/**
 * A DeployToDevice as the app-controller sends it, signed by `signer`: for tests that
 * talk to devices on the device bus, past the api's admission.
 */
export function signedDeployCommand(appId: string, manifest: Manifest, signer: Uint8Array): DeployToDevice {
  const bytes = encodeManifest(manifest);
  return {
    type: 'DeployToDevice',
    appId,
    revision: manifest.revision,
    manifest: Buffer.from(bytes).toString('base64'),
    signature: Buffer.from(signManifest(bytes, signer)).toString('hex'),
    publisherKey: ed25519KeyPairFromSeed(signer).publicKeyHex,
  };
}
