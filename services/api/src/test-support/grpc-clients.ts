// Test-only gRPC helpers (excluded from the build).
import { join, dirname } from 'node:path';
import { loadPackageDefinition, makeClientConstructor, status, type Client, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { loadSync } from '@grpc/proto-loader';
import { createClient } from '@wasmbed/grpc-kit';
import { service as healthService } from 'grpc-health-check';

/** A unary call as a promise: `call<Res>((done) => client.getDevice(req, done))`. */
export function call<Res>(invoke: (done: (err: ServiceError | null, res?: Res) => void) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    invoke((err, res) => (err ? reject(err) : resolve(res as Res)));
  });
}

/** The error a call failed with; fails the test when it succeeded. */
export async function failure(promise: Promise<unknown>): Promise<ServiceError & { codeName: string }> {
  try {
    await promise;
  } catch (err) {
    const e = err as ServiceError;
    return Object.assign(e, { codeName: status[e.code] });
  }
  throw new Error('the call succeeded but was expected to fail');
}

/** Resolves with the first `count` messages of a server stream that satisfy `keep`. */
export function collect<T>(stream: ClientReadableStream<T>, count: number, keep: (message: T) => boolean = () => true): Promise<T[]> {
  const seen: T[] = [];
  return new Promise((resolve, reject) => {
    stream.on('data', (message: T) => {
      if (keep(message)) seen.push(message);
      if (seen.length === count) resolve(seen);
    });
    stream.on('error', (err) => reject(err));
    stream.on('end', () => reject(new Error(`stream ended after ${seen.length} of ${count} messages`)));
  });
}

type Ctor<C> = new (address: string, ...rest: never[]) => C;

interface HealthClient extends Client {
  check(req: { service: string }, done: (err: ServiceError | null, res?: { status: string }) => void): void;
}

export async function healthStatus(address: string, service: string): Promise<string> {
  const Health = makeClientConstructor(healthService, 'grpc.health.v1.Health') as unknown as Ctor<HealthClient>;
  const client = createClient(Health as never, address) as HealthClient;
  try {
    return (await call<{ status: string }>((done) => client.check({ service }, done))).status;
  } finally {
    client.close();
  }
}

interface ReflectionStream {
  on(event: 'data', listener: (message: { listServicesResponse?: { service: { name: string }[] } }) => void): void;
  on(event: 'error', listener: (err: Error) => void): void;
  write(message: unknown): boolean;
  end(): void;
}

/** Service names listed by gRPC server reflection (v1). */
export async function reflectedServices(address: string): Promise<string[]> {
  const protoFile = join(dirname(require.resolve('@grpc/reflection/package.json')), 'build', 'proto', 'grpc', 'reflection', 'v1', 'reflection.proto');
  const loaded = loadPackageDefinition(loadSync(protoFile, { defaults: true, oneofs: true })) as unknown as {
    grpc: { reflection: { v1: { ServerReflection: Ctor<Client & { serverReflectionInfo(): ReflectionStream }> } } };
  };
  const client = createClient(loaded.grpc.reflection.v1.ServerReflection as never, address) as Client & { serverReflectionInfo(): ReflectionStream };
  try {
    const stream = client.serverReflectionInfo();
    const names = new Promise<string[]>((resolve, reject) => {
      stream.on('data', (message) => resolve((message.listServicesResponse?.service ?? []).map((s) => s.name).sort()));
      stream.on('error', reject);
    });
    stream.write({ listServices: '*' });
    stream.end();
    return await names;
  } finally {
    client.close();
  }
}

/** Every message of a server stream that ends by itself. */
export function readAll<T>(stream: ClientReadableStream<T>): Promise<T[]> {
  const seen: T[] = [];
  return new Promise((resolve, reject) => {
    stream.on('data', (message: T) => seen.push(message));
    stream.on('error', (err) => reject(err));
    stream.on('end', () => resolve(seen));
  });
}
