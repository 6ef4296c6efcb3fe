/** Application commands through the api, as a publisher sends them. */
import type { ApplicationServiceClient } from '@wasmbed/proto';
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
