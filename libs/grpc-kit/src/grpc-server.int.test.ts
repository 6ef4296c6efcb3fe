import { EventEmitter, once } from 'node:events';
import { dirname, join } from 'node:path';
import {
  loadPackageDefinition,
  makeClientConstructor,
  Metadata,
  Server,
  ServerCredentials,
  status,
  type Client,
  type ClientReadableStream,
  type ServiceError,
} from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { WasmbedError } from '@wasmbed/errors';
import {
  ChangeKind,
  DevicePhase,
  DeviceServiceClient,
  DeviceServiceService,
  RegisterDeviceRequest,
  type Device,
  type DeviceChange,
  type DeviceServiceServer,
} from '@wasmbed/proto';
import { service as healthService } from 'grpc-health-check';
import { z } from 'zod';
import {
  createClient,
  createGrpcServer,
  hashToken,
  readErrorMetadata,
  serverStreamHandler,
  staticTokenAuthenticator,
  unaryHandler,
  type GrpcServer,
  type LogFields,
  type Logger,
} from './index';

// ---------------------------------------------------------------------------
// A small in-memory DeviceService: a test double of the *service* whose
// handlers go through the real grpc-kit pipeline on a real server.

class DeviceNotFound extends WasmbedError {
  readonly code = 'not_found' as const;
  constructor(name: string) {
    super(`device '${name}' not found`, { device: name });
  }
}

class VersionConflict extends WasmbedError {
  readonly code = 'conflict' as const;
  constructor(name: string, expected: number, actual: number) {
    super(`device '${name}' is at version ${actual}, not ${expected}`, { device: name, expected, actual });
  }
}

const NAME = z.string().regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a DNS label');
const byName = z.object({ name: NAME });
const registerSchema = z.object({
  commandId: z.string(),
  expectedVersion: z.number().int().nonnegative(),
  name: NAME,
  publicKey: z.instanceof(Buffer).refine((key) => key.length === 32, 'must be 32 bytes'),
  board: z.string(),
  architecture: z.string(),
  labels: z.record(z.string(), z.string()),
  preferredGateway: z.string(),
});
const revokeSchema = byName.extend({ expectedVersion: z.number().int().nonnegative(), reason: z.string() });

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
}

function inMemoryDeviceService() {
  const devices = new Map<string, Device>();
  const changes = new EventEmitter();
  let position = 0;
  const labelsGate = deferred();

  const implementation: Partial<DeviceServiceServer> = {
    registerDevice: unaryHandler({
      role: 'operator',
      schema: registerSchema,
      handle: async (req) => {
        const device: Device = {
          name: req.name,
          phase: DevicePhase.DEVICE_PHASE_PENDING,
          publicKey: req.publicKey,
          board: req.board,
          architecture: req.architecture,
          labels: req.labels,
          preferredGateway: req.preferredGateway,
          gateway: '',
          sessionId: '',
          revocationReason: '',
          applications: [],
          version: ++position,
        };
        devices.set(req.name, device);
        changes.emit('change', { kind: ChangeKind.CHANGE_KIND_ADDED, device, position });
        return { version: device.version };
      },
    }),
    getDevice: unaryHandler({
      role: 'viewer',
      schema: byName,
      handle: async ({ name }) => {
        const device = devices.get(name);
        if (!device) throw new DeviceNotFound(name);
        return { device };
      },
    }),
    revokeDevice: unaryHandler({
      role: 'operator',
      schema: revokeSchema,
      handle: async ({ name, expectedVersion, reason }) => {
        const device = devices.get(name);
        if (!device) throw new DeviceNotFound(name);
        if (expectedVersion !== 0 && expectedVersion !== device.version) throw new VersionConflict(name, expectedVersion, device.version);
        Object.assign(device, { phase: DevicePhase.DEVICE_PHASE_REVOKED, revocationReason: reason, version: ++position });
        return { version: device.version };
      },
    }),
    // A bug: a plain exception whose message must not reach the client.
    approveDevice: unaryHandler({
      role: 'operator',
      schema: byName,
      handle: async () => {
        throw new TypeError('secret internals: cannot read properties of undefined');
      },
    }),
    // Slow on purpose: waits until the test opens the gate (graceful shutdown).
    updateDeviceLabels: unaryHandler({
      role: 'operator',
      schema: byName,
      handle: async () => {
        await labelsGate.promise;
        return { version: ++position };
      },
    }),
    watchDevices: serverStreamHandler({
      role: 'viewer',
      schema: z.object({ labelSelector: z.string(), phase: z.enum(DevicePhase) }),
      handle: async (_req, ctx, send) => {
        const pending: DeviceChange[] = [...devices.values()].map((device) => ({
          kind: ChangeKind.CHANGE_KIND_ADDED,
          device,
          position: device.version,
        }));
        const onChange = (change: DeviceChange) => pending.push(change);
        changes.on('change', onChange);
        try {
          while (!ctx.signal.aborted) {
            const next = pending.shift();
            if (next) await send(next);
            else await Promise.race([once(changes, 'change'), once(ctx.signal, 'abort')]);
          }
        } finally {
          changes.off('change', onChange);
        }
      },
    }),
  };
  return { implementation, openLabelsGate: labelsGate.resolve };
}

// ---------------------------------------------------------------------------

class CapturingLogger implements Logger {
  readonly lines: { level: string; message: string; fields?: LogFields }[] = [];
  info = (message: string, fields?: LogFields) => this.lines.push({ level: 'info', message, fields });
  warn = (message: string, fields?: LogFields) => this.lines.push({ level: 'warn', message, fields });
  error = (message: string, fields?: LogFields) => this.lines.push({ level: 'error', message, fields });
  text = () => JSON.stringify(this.lines);
}

const TOKENS = { admin: 'tok-admin-5f1c', operator: 'tok-operator-9a7e', viewer: 'tok-viewer-33b0' };

interface HealthClient extends Client {
  check(req: { service: string }, cb: (err: ServiceError | null, res?: { status: string }) => void): void;
  watch(req: { service: string }): ClientReadableStream<{ status: string }>;
}
const HealthClient = makeClientConstructor(healthService, 'grpc.health.v1.Health') as unknown as new (
  ...args: ConstructorParameters<typeof DeviceServiceClient>
) => HealthClient;

function reflectionClientConstructor(version: 'v1' | 'v1alpha'): new (...args: ConstructorParameters<typeof DeviceServiceClient>) => Client {
  const protoDir = join(dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto');
  const definition = loadSync(join(protoDir, 'grpc', 'reflection', version, 'reflection.proto'), { keepCase: false, defaults: true, oneofs: true });
  const loaded = loadPackageDefinition(definition) as unknown as {
    grpc: { reflection: Record<string, { ServerReflection: new (...args: ConstructorParameters<typeof DeviceServiceClient>) => Client }> };
  };
  return loaded.grpc.reflection[version]!.ServerReflection;
}

interface ReflectionResponse {
  listServicesResponse?: { service: { name: string }[] };
  fileDescriptorResponse?: { fileDescriptorProto: Buffer[] };
  errorResponse?: { errorCode: number };
}

async function reflect(address: string, version: 'v1' | 'v1alpha', request: Record<string, unknown>): Promise<ReflectionResponse> {
  const client = createClient(reflectionClientConstructor(version), address) as Client & {
    serverReflectionInfo(): NodeJS.ReadWriteStream & { write(msg: unknown): boolean; end(): void };
  };
  try {
    const stream = client.serverReflectionInfo();
    const response = once(stream, 'data');
    stream.write(request);
    stream.end();
    const [message] = await response;
    return message as ReflectionResponse;
  } finally {
    client.close();
  }
}

function unary<Res>(invoke: (cb: (err: ServiceError | null, res?: Res) => void) => void): Promise<Res> {
  return new Promise((resolve, reject) => invoke((err, res) => (err ? reject(err) : resolve(res as Res))));
}

async function expectStatus(promise: Promise<unknown>, code: status): Promise<ServiceError> {
  const err = (await promise.then(
    () => {
      throw new Error(`expected status ${status[code]}, got a response`);
    },
    (e: unknown) => e,
  )) as ServiceError;
  expect(status[err.code]).toBe(status[code]);
  return err;
}

function registerRequest(name: string, overrides: Partial<RegisterDeviceRequest> = {}): RegisterDeviceRequest {
  return RegisterDeviceRequest.fromPartial({ name, publicKey: Buffer.alloc(32, 9), board: 'nrf52840dk', architecture: 'thumbv7em', ...overrides });
}

describe('createGrpcServer on a real loopback port', () => {
  let grpcServer: GrpcServer;
  let address: string;
  let logger: CapturingLogger;
  let openLabelsGate: () => void;
  const clients: Client[] = [];

  function deviceClient(token?: string): DeviceServiceClient {
    const client = createClient(DeviceServiceClient, address, token === undefined ? {} : { token });
    clients.push(client);
    return client;
  }

  beforeEach(async () => {
    logger = new CapturingLogger();
    const service = inMemoryDeviceService();
    openLabelsGate = service.openLabelsGate;
    grpcServer = createGrpcServer({
      services: [{ definition: DeviceServiceService, implementation: service.implementation }],
      auth: staticTokenAuthenticator(
        Object.entries(TOKENS).map(([role, token]) => ({ tokenSha256Hex: hashToken(token), subject: `${role}-user`, role: role as 'admin' })),
      ),
      logger,
    });
    const port = await grpcServer.listen('127.0.0.1', 0);
    address = `127.0.0.1:${port}`;
  });

  afterEach(async () => {
    openLabelsGate();
    for (const client of clients.splice(0)) client.close();
    await grpcServer.shutdown(1_000);
  });

  describe('health checking', () => {
    it('reports SERVING for the server and each registered service, without credentials', async () => {
      const health = createClient(HealthClient, address);
      clients.push(health);
      await expect(unary((cb) => health.check({ service: '' }, cb))).resolves.toEqual({ status: 'SERVING' });
      await expect(unary((cb) => health.check({ service: 'wasmbed.v1.DeviceService' }, cb))).resolves.toEqual({ status: 'SERVING' });
      await expectStatus(unary((cb) => health.check({ service: 'wasmbed.v1.NoSuchService' }, cb)), status.NOT_FOUND);
    });

    it('follows setServing', async () => {
      const health = createClient(HealthClient, address);
      clients.push(health);
      grpcServer.setServing('wasmbed.v1.DeviceService', false);
      await expect(unary((cb) => health.check({ service: 'wasmbed.v1.DeviceService' }, cb))).resolves.toEqual({ status: 'NOT_SERVING' });
      await expect(unary((cb) => health.check({ service: '' }, cb))).resolves.toEqual({ status: 'SERVING' });
      expect(() => grpcServer.setServing('wasmbed.v1.NoSuchService', true)).toThrow('not registered');
    });
  });

  describe('server reflection', () => {
    it.each(['v1', 'v1alpha'] as const)('lists the registered services and health (%s)', async (version) => {
      const response = await reflect(address, version, { listServices: '*' });
      expect(response.listServicesResponse!.service.map((s) => s.name).sort()).toEqual(['grpc.health.v1.Health', 'wasmbed.v1.DeviceService']);
    });

    it("serves protoc's descriptors, with doc comments and the dependencies", async () => {
      const response = await reflect(address, 'v1', { fileContainingSymbol: 'wasmbed.v1.DeviceService' });
      const files = response.fileDescriptorResponse!.fileDescriptorProto;
      const names = ['wasmbed/v1/device.proto', 'wasmbed/v1/common.proto', 'google/protobuf/timestamp.proto'];
      for (const name of names) expect(files.some((file) => file.includes(name))).toBe(true);
      expect(files[0]!.includes('Pre-registers a device by its Ed25519 public key')).toBe(true);
    });
  });

  describe('authentication and authorization', () => {
    it('answers UNAUTHENTICATED without a token', async () => {
      const err = await expectStatus(unary((cb) => deviceClient().getDevice({ name: 'd1' }, cb)), status.UNAUTHENTICATED);
      expect(err.details).toContain('missing credentials');
      expect(readErrorMetadata(err.metadata).name).toBe('UnauthenticatedError');
    });

    it('answers UNAUTHENTICATED to an unknown token and never logs it', async () => {
      const err = await expectStatus(unary((cb) => deviceClient('tok-stolen-0000').getDevice({ name: 'd1' }, cb)), status.UNAUTHENTICATED);
      expect(err.details).toBe('invalid credentials');
      expect(logger.text()).toContain('not authenticated');
      expect(logger.text()).not.toContain('tok-stolen-0000');
    });

    it('answers PERMISSION_DENIED naming the required role when a viewer calls an operator method', async () => {
      const err = await expectStatus(
        unary((cb) => deviceClient(TOKENS.viewer).registerDevice(registerRequest('d1'), cb)),
        status.PERMISSION_DENIED,
      );
      expect(err.details).toBe("/wasmbed.v1.DeviceService/RegisterDevice requires role 'operator' (the caller has role 'viewer')");
      expect(logger.text()).not.toContain(TOKENS.viewer);
    });

    it('lets higher roles call lower-role methods', async () => {
      await unary((cb) => deviceClient(TOKENS.admin).registerDevice(registerRequest('d1'), cb));
      const got = await unary<{ device?: Device }>((cb) => deviceClient(TOKENS.viewer).getDevice({ name: 'd1' }, cb));
      expect(got.device).toMatchObject({ name: 'd1', phase: DevicePhase.DEVICE_PHASE_PENDING, publicKey: Buffer.alloc(32, 9) });
    });
  });

  describe('request validation and error mapping', () => {
    it('answers INVALID_ARGUMENT naming each malformed field', async () => {
      const bad = registerRequest('Not A Name', { publicKey: Buffer.alloc(3) });
      const err = await expectStatus(unary((cb) => deviceClient(TOKENS.operator).registerDevice(bad, cb)), status.INVALID_ARGUMENT);
      expect(err.details).toBe('invalid request: name: must be a DNS label; publicKey: must be 32 bytes');
      expect(readErrorMetadata(err.metadata)).toEqual({
        name: 'ValidationError',
        details: { issues: ['name: must be a DNS label', 'publicKey: must be 32 bytes'] },
      });
    });

    it('maps a not_found domain error to NOT_FOUND with its name and details', async () => {
      const err = await expectStatus(unary((cb) => deviceClient(TOKENS.viewer).getDevice({ name: 'ghost' }, cb)), status.NOT_FOUND);
      expect(err.details).toBe("device 'ghost' not found");
      expect(readErrorMetadata(err.metadata)).toEqual({ name: 'DeviceNotFound', details: { device: 'ghost' } });
    });

    it('maps a conflict domain error to ABORTED', async () => {
      const client = deviceClient(TOKENS.operator);
      const { version } = await unary<{ version: number }>((cb) => client.registerDevice(registerRequest('d1'), cb));
      const stale = { commandId: '', expectedVersion: version + 5, name: 'd1', reason: 'lost' };
      const err = await expectStatus(unary((cb) => client.revokeDevice(stale, cb)), status.ABORTED);
      expect(readErrorMetadata(err.metadata)).toEqual({ name: 'VersionConflict', details: { device: 'd1', expected: version + 5, actual: version } });
      await expect(unary((cb) => client.revokeDevice({ ...stale, expectedVersion: version }, cb))).resolves.toEqual({ version: version + 1 });
    });

    it('answers INTERNAL with only a reference for unexpected exceptions, and logs the real error', async () => {
      const err = await expectStatus(unary((cb) => deviceClient(TOKENS.operator).approveDevice({ commandId: '', expectedVersion: 0, name: 'd1' }, cb)), status.INTERNAL);
      expect(err.details).toMatch(/^internal error \(ref [0-9a-f-]{36}\)$/);
      const ref = /ref ([0-9a-f-]{36})/.exec(err.details)![1];
      const logged = logger.lines.find((line) => line.level === 'error' && line.fields?.['ref'] === ref);
      expect(JSON.stringify(logged)).toContain('secret internals');
      expect(err.metadata.get('wasmbed-error-name')).toEqual([]);
    });

    it('answers UNIMPLEMENTED for methods the service does not implement', async () => {
      await expectStatus(unary((cb) => deviceClient(TOKENS.operator).assignGateway({ commandId: '', expectedVersion: 0, name: 'd1', gateway: 'g' }, cb)), status.UNIMPLEMENTED);
    });
  });

  describe('server streaming', () => {
    it('streams the current devices, then changes, after the same checks', async () => {
      const operator = deviceClient(TOKENS.operator);
      await unary((cb) => operator.registerDevice(registerRequest('d1'), cb));
      const watch = deviceClient(TOKENS.viewer).watchDevices({ labelSelector: '', phase: DevicePhase.DEVICE_PHASE_UNSPECIFIED });
      const received: DeviceChange[] = [];
      watch.on('data', (change: DeviceChange) => received.push(change));
      await waitFor(() => received.length === 1);
      await unary((cb) => operator.registerDevice(registerRequest('d2'), cb));
      await waitFor(() => received.length === 2);
      expect(received.map((c) => [c.kind, c.device!.name])).toEqual([
        [ChangeKind.CHANGE_KIND_ADDED, 'd1'],
        [ChangeKind.CHANGE_KIND_ADDED, 'd2'],
      ]);
      const ended = once(watch, 'error');
      watch.cancel();
      const [err] = (await ended) as [ServiceError];
      expect(err.code).toBe(status.CANCELLED);
    });

    it('rejects an unauthenticated watch with UNAUTHENTICATED', async () => {
      const watch = deviceClient().watchDevices({ labelSelector: '', phase: DevicePhase.DEVICE_PHASE_UNSPECIFIED });
      watch.on('data', () => undefined);
      const [err] = (await once(watch, 'error')) as [ServiceError];
      expect(err.code).toBe(status.UNAUTHENTICATED);
    });
  });

  describe('graceful shutdown', () => {
    it('finishes in-flight calls, ends streams with UNAVAILABLE, reports NOT_SERVING and refuses new calls', async () => {
      const operator = deviceClient(TOKENS.operator);
      const health = createClient(HealthClient, address);
      clients.push(health);
      const healthWatch = health.watch({ service: '' });
      const healthStatuses: string[] = [];
      healthWatch.on('data', (m: { status: string }) => healthStatuses.push(m.status));
      const healthEnded = once(healthWatch, 'error');
      const devicesWatch = deviceClient(TOKENS.viewer).watchDevices({ labelSelector: '', phase: DevicePhase.DEVICE_PHASE_UNSPECIFIED });
      devicesWatch.on('data', () => undefined);
      const devicesEnded = once(devicesWatch, 'error');
      await waitFor(() => healthStatuses.length === 1);

      const slow = unary((cb) => operator.updateDeviceLabels({ commandId: '', expectedVersion: 0, name: 'd1', labels: {} }, cb));
      await new Promise((resolve) => setTimeout(resolve, 100)); // let the slow call reach its handler
      const started = Date.now();
      const stopped = grpcServer.shutdown(30_000);

      const [devicesErr] = (await devicesEnded) as [ServiceError];
      expect(devicesErr.code).toBe(status.UNAVAILABLE);
      const [healthErr] = (await healthEnded) as [ServiceError];
      expect(healthErr.code).toBe(status.UNAVAILABLE);
      expect(healthStatuses).toEqual(['SERVING', 'NOT_SERVING']);

      openLabelsGate();
      await expect(slow).resolves.toEqual({ version: 1 });
      await stopped;
      expect(Date.now() - started).toBeLessThan(5_000);

      const late = createClient(DeviceServiceClient, address, { token: TOKENS.viewer });
      clients.push(late);
      await expectStatus(unary((cb) => late.getDevice({ name: 'd1' }, cb)), status.UNAVAILABLE);
    });
  });
});

describe('handler safety', () => {
  it('refuses to register a method that is not a grpc-kit handler', () => {
    const raw: Partial<DeviceServiceServer> = { getDevice: (_call, callback) => callback(null, {}) };
    expect(() =>
      createGrpcServer({ services: [{ definition: DeviceServiceService, implementation: raw }], auth: staticTokenAuthenticator([]) }),
    ).toThrow('DeviceService.getDevice is not built with unaryHandler or serverStreamHandler');
  });

  it('refuses a unary handler for a streaming method', () => {
    const wrongKind = { watchDevices: unaryHandler({ role: 'viewer', schema: z.object({}), handle: async () => ({}) }) };
    expect(() =>
      createGrpcServer({ services: [{ definition: DeviceServiceService, implementation: wrongKind }], auth: staticTokenAuthenticator([]) }),
    ).toThrow('is a server-streaming method but its handler is unary');
  });

  it('fails closed when a handler is registered on a plain grpc-js server', async () => {
    const server = new Server();
    let ran = false;
    server.addService(DeviceServiceService, {
      getDevice: unaryHandler({
        role: 'viewer',
        schema: byName,
        handle: async () => {
          ran = true;
          return {};
        },
      }),
    });
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    const client = createClient(DeviceServiceClient, `127.0.0.1:${port}`);
    try {
      const err = await expectStatus(unary((cb) => client.getDevice({ name: 'd1' }, new Metadata(), cb)), status.INTERNAL);
      expect(err.details).toContain('not mounted through createGrpcServer');
      expect(ran).toBe(false);
    } finally {
      client.close();
      server.forceShutdown();
    }
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
