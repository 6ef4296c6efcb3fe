import { randomBytes } from 'node:crypto';
import { getModule, hasModule, MAX_MODULE_BYTES, sha256Hex } from '@wasmbed/device-bus';
import { loadExampleApp } from '@wasmbed/example-apps';
import {
  ApplicationServiceClient,
  CreateApplicationRequest,
  DevicePhase,
  DeviceServiceClient,
  UpdateApplicationRequest,
  type ApplicationSpec,
  type DeployApplicationResponse,
  type GetApplicationResponse,
  type GetDeviceResponse,
} from '@wasmbed/proto';
import { eventually } from '@wasmbed/testing';
import { withApi } from './test-support/api-fixture';
import { enrollDevice } from './test-support/fleet';
import { call, failure } from './test-support/grpc-clients';
import { Publisher } from './test-support/publisher';

const trusted = Publisher.generate();
const fixture = withApi({ trustedPublisherKeys: [trusted.publicKeyHex] });

const hello = loadExampleApp('hello');
const counter = loadExampleApp('counter');
const HELLO_FUNCTIONS = ['wasmbed.config_get', 'wasmbed.log', 'wasmbed.sensor_read', 'wasmbed.sleep_ms'];
const ALL = { $case: 'allDevices' as const, value: true };

let apps: ApplicationServiceClient;
beforeAll(() => {
  apps = fixture().client(ApplicationServiceClient, 'operator');
});

const create = (name: string, spec: ApplicationSpec) =>
  call<{ version: number; revision: number }>((done) => apps.createApplication(CreateApplicationRequest.fromPartial({ name, spec }), done));
const update = (name: string, spec: ApplicationSpec) =>
  call<{ version: number; revision: number }>((done) => apps.updateApplication(UpdateApplicationRequest.fromPartial({ name, spec }), done));
const deploy = (name: string) => call<DeployApplicationResponse>((done) => apps.deployApplication({ commandId: '', expectedVersion: 0, name, revision: 0 }, done));

async function enrolled(name: string, labels: Record<string, string>, hostFunctions: string[], extra: { maxModuleBytes?: number; ramBytes?: number } = {}) {
  await enrollDevice(fixture().eventStore, name, labels, { hostFunctions, ...extra });
  const devices = fixture().client(DeviceServiceClient, 'viewer');
  await eventually(`${name} enrolled in the read model`, async () => {
    const { device } = await call<GetDeviceResponse>((done) => devices.getDevice({ name }, done)).catch(() => ({ device: undefined }));
    return device?.phase === DevicePhase.DEVICE_PHASE_ENROLLED ? device : undefined;
  }, 5_000);
}

describe('module upload', () => {
  it('stores a real module sent inline and creates the application with its hash and size', async () => {
    const created = await create('hello-app', trusted.spec({ name: 'hello-app', revision: 1, module: hello, targets: ALL, requiredHostFunctions: HELLO_FUNCTIONS }));
    expect(created.revision).toBe(1);
    expect(Buffer.from(await getModule(fixture().nc, sha256Hex(hello))).equals(Buffer.from(hello))).toBe(true);
    const { application } = await call<GetApplicationResponse>((done) => apps.getApplication({ name: 'hello-app' }, done));
    expect(application?.revisions[0].spec?.module).toMatchObject({ sizeBytes: hello.length, source: undefined });
  });

  it('refuses a hash that is not the hash of the bytes, and stores nothing', async () => {
    // Signed for counter's hash and size; the bytes sent differ in their last byte.
    const spec = trusted.spec({ name: 'mismatch', revision: 1, module: counter, targets: ALL });
    const other = Buffer.from(counter);
    other[other.length - 1] ^= 0xff;
    const err = await failure(create('mismatch', { ...spec, module: { ...spec.module!, source: { $case: 'inlineContent', value: other } } }));
    expect(err.codeName).toBe('INVALID_ARGUMENT');
    expect(err.details).toBe(`spec.module.sha256 is ${sha256Hex(counter)} but the SHA-256 of spec.module.inlineContent is ${sha256Hex(other)}`);
    expect(await hasModule(fixture().nc, sha256Hex(counter))).toBe(false);
    expect(await hasModule(fixture().nc, sha256Hex(other))).toBe(false);
  });

  it('refuses bytes that are not WebAssembly, saying why', async () => {
    const junk = Buffer.from('this is not a wasm module');
    const err = await failure(create('junk', trusted.spec({ name: 'junk', revision: 1, module: junk, targets: ALL })));
    expect(err.codeName).toBe('INVALID_ARGUMENT');
    expect(err.details).toMatch(/^module is not valid WebAssembly: .+/);
    expect(await hasModule(fixture().nc, sha256Hex(junk))).toBe(false);
  });

  it('refuses a module larger than the module store takes', async () => {
    const big = randomBytes(MAX_MODULE_BYTES + 1);
    const err = await failure(create('huge', trusted.spec({ name: 'huge', revision: 1, module: big, targets: ALL })));
    expect(err.codeName).toBe('INVALID_ARGUMENT');
    expect(err.details).toBe(`spec.module.inlineContent has ${MAX_MODULE_BYTES + 1} bytes; a module may have at most ${MAX_MODULE_BYTES} bytes`);
  }, 30_000);

  it('accepts a uri only for a module already in the store', async () => {
    const trap = loadExampleApp('trap');
    const missing = await failure(create('by-uri', trusted.spec({ name: 'by-uri', revision: 1, module: trap, targets: ALL, inline: false })));
    expect(missing.codeName).toBe('FAILED_PRECONDITION');
    expect(missing.details).toMatch(/^module [0-9a-f]{64} not in the module store; upload it with inline_content/);

    await create('trap-inline', trusted.spec({ name: 'trap-inline', revision: 1, module: trap, targets: ALL }));
    const byUri = await create('by-uri', trusted.spec({ name: 'by-uri', revision: 1, module: trap, targets: ALL, inline: false }));
    expect(byUri.revision).toBe(1);
    const { application } = await call<GetApplicationResponse>((done) => apps.getApplication({ name: 'by-uri' }, done));
    expect(application?.revisions[0].spec?.module?.source).toMatchObject({ $case: 'uri' });
  });

  it('refuses a memory limit of 0 (there is no device default in a signed manifest)', async () => {
    const spec = trusted.spec({ name: 'no-mem', revision: 1, module: hello, targets: ALL });
    const err = await failure(create('no-mem', { ...spec, config: { ...spec.config!, memoryLimitBytes: 0 } }));
    expect(err.codeName).toBe('INVALID_ARGUMENT');
    expect(err.details).toContain('spec.config.memoryLimitBytes: must be set');
  });
});

describe('signature admission', () => {
  it('refuses a signature that does not verify, naming the revision to sign', async () => {
    const spec = trusted.spec({ name: 'forged', revision: 1, module: hello, targets: ALL });
    const err = await failure(create('forged', { ...spec, manifestSignature: randomBytes(64) }));
    expect(err.codeName).toBe('INVALID_ARGUMENT');
    expect(err.details).toBe(
      "manifest_signature does not verify for revision 1 of application 'forged' (sign the manifest of revision 1 with the key in publisher_key; see \"Admission\" in the api README)",
    );
  });

  it('checks an update against the revision it creates: a signature for another revision fails', async () => {
    await create('versioned', trusted.spec({ name: 'versioned', revision: 1, module: hello, targets: ALL }));
    const signedForOne = trusted.spec({ name: 'versioned', revision: 1, module: hello, targets: ALL, env: { MODE: 'fast' } });
    const stale = await failure(update('versioned', signedForOne));
    expect(stale.codeName).toBe('INVALID_ARGUMENT');
    expect(stale.details).toContain('does not verify for revision 2 of application');

    const second = await update('versioned', trusted.spec({ name: 'versioned', revision: 2, module: hello, targets: ALL, env: { MODE: 'fast' } }));
    expect(second.revision).toBe(2);
    // The same spec again creates nothing and answers the latest revision.
    expect((await update('versioned', trusted.spec({ name: 'versioned', revision: 2, module: hello, targets: ALL, env: { MODE: 'fast' } }))).revision).toBe(2);
  });

  it('checks expected_version before storing anything', async () => {
    const { version } = await create('guarded', trusted.spec({ name: 'guarded', revision: 1, module: hello, targets: ALL }));
    const hog = loadExampleApp('memory-hog');
    const spec = trusted.spec({ name: 'guarded', revision: 2, module: hog, targets: ALL });
    const stale = await failure(call((done) => apps.updateApplication({ commandId: '', expectedVersion: version + 100, name: 'guarded', spec }, done)));
    expect(stale.codeName).toBe('ABORTED');
    expect(await hasModule(fixture().nc, sha256Hex(hog))).toBe(false);
    const fresh = await call<{ revision: number }>((done) => apps.updateApplication({ commandId: '', expectedVersion: version, name: 'guarded', spec }, done));
    expect(fresh.revision).toBe(2);
    expect(await hasModule(fixture().nc, sha256Hex(hog))).toBe(true);
  });

  it('refuses a publisher that is not trusted', async () => {
    const stranger = Publisher.generate();
    const err = await failure(create('strange', stranger.spec({ name: 'strange', revision: 1, module: hello, targets: ALL })));
    expect(err.codeName).toBe('FAILED_PRECONDITION');
    expect(err.details).toBe(
      `publisher key ${stranger.publicKeyHex} is not trusted by this api: sign with a trusted key, or ask an admin to add it to WASMBED_TRUSTED_PUBLISHER_KEYS`,
    );
  });
});

describe('device admission', () => {
  beforeAll(async () => {
    await enrolled('dev-full', { site: 'a' }, HELLO_FUNCTIONS);
    await enrolled('dev-nosensor', { site: 'a' }, ['wasmbed.config_get', 'wasmbed.log', 'wasmbed.sleep_ms']);
    await enrolled('dev-tiny', { site: 'a' }, HELLO_FUNCTIONS, { maxModuleBytes: 64, ramBytes: 4096 });
  });

  it('refuses a create naming a device that cannot run it, listing each device and why', async () => {
    const names = { $case: 'deviceNames' as const, value: { names: ['dev-full', 'dev-nosensor', 'dev-tiny'] } };
    const err = await failure(create('picky', trusted.spec({ name: 'picky', revision: 1, module: hello, targets: names, requiredHostFunctions: HELLO_FUNCTIONS })));
    expect(err.codeName).toBe('FAILED_PRECONDITION');
    expect(err.details).toBe(
      "revision 1 of application 'picky' cannot run on 2 devices " +
        'dev-nosensor (runtime lacks host function wasmbed.sensor_read), ' +
        `dev-tiny (module of ${hello.length} bytes exceeds the runtime's 64; memory limit of 65536 bytes exceeds the device's 4096 bytes of RAM): ` +
        'name other devices, or change the spec',
    );
  });

  it('refuses a deploy to a named device lacking a host function', async () => {
    const names = { $case: 'deviceNames' as const, value: { names: ['dev-late'] } };
    // Unknown when the application is created: judged at deploy time.
    await create('late', trusted.spec({ name: 'late', revision: 1, module: hello, targets: names, requiredHostFunctions: HELLO_FUNCTIONS }));
    await enrolled('dev-late', {}, ['wasmbed.log']);
    const err = await failure(deploy('late'));
    expect(err.codeName).toBe('FAILED_PRECONDITION');
    expect(err.details).toContain(
      "revision 1 of application 'late' cannot run on device dev-late (runtime lacks host function wasmbed.config_get; runtime lacks host function wasmbed.sensor_read; runtime lacks host function wasmbed.sleep_ms)",
    );
  });

  it('leaves devices a selector matches but that cannot run the revision out, and reports them', async () => {
    const selector = { $case: 'selector' as const, value: { matchLabels: { site: 'a' } } };
    await create('fleetwide', trusted.spec({ name: 'fleetwide', revision: 1, module: hello, targets: selector, requiredHostFunctions: HELLO_FUNCTIONS }));
    const deployed = await deploy('fleetwide');
    expect(deployed.excludedDevices).toEqual([
      { device: 'dev-nosensor', reasons: ['runtime lacks host function wasmbed.sensor_read'] },
      { device: 'dev-tiny', reasons: [`module of ${hello.length} bytes exceeds the runtime's 64`, "memory limit of 65536 bytes exceeds the device's 4096 bytes of RAM"] },
    ]);
    const { application } = await call<GetApplicationResponse>((done) => apps.getApplication({ name: 'fleetwide' }, done));
    expect(application?.revisions[0].rollout?.waves).toEqual([{ index: 0, devices: ['dev-full'] }]);
  });
});
