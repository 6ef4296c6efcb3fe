import {
  Server,
  ServerCredentials,
  type ServerOptions,
  type ServiceDefinition,
  type UntypedHandleCall,
  type UntypedServiceImplementation,
} from '@grpc/grpc-js';
import { ConfigError } from '@wasmbed/errors';
import type { Authenticator } from './authenticator';
import { ServerHealth } from './health';
import { consoleLogger, type Logger } from './logger';
import { addReflection } from './reflection';
import { mountHandler, type HandlerKind, type ServerRuntime } from './server-runtime';
import { serviceNameOf } from './service-name';

export interface ServiceRegistration {
  /** A grpc-js service definition, e.g. DeviceServiceService from @wasmbed/proto. */
  readonly definition: ServiceDefinition;
  /**
   * Handlers built with unaryHandler / serverStreamHandler, keyed like the
   * definition (e.g. a DeviceServiceServer); missing methods answer UNIMPLEMENTED.
   */
  readonly implementation: Readonly<Record<string, UntypedHandleCall | undefined>>;
}

export interface GrpcServerOptions {
  readonly services: readonly ServiceRegistration[];
  readonly auth: Authenticator;
  readonly logger?: Logger;
  /** Defaults to insecure (plaintext); use ServerCredentials.createSsl for TLS. */
  readonly credentials?: ServerCredentials;
  readonly serverOptions?: ServerOptions;
}

export interface GrpcServer {
  readonly server: Server;
  /** Fully-qualified names of the registered services. */
  readonly serviceNames: readonly string[];
  /** Binds host:port (port 0 = any free port), marks the services SERVING and returns the bound port. */
  listen(host: string, port: number): Promise<number>;
  /** Health status of one service ("" = the whole server). */
  setServing(service: string, serving: boolean): void;
  /**
   * Marks everything NOT_SERVING, ends watch streams (UNAVAILABLE), lets
   * in-flight unary calls finish for up to `graceMs`, then cancels the rest.
   */
  shutdown(graceMs?: number): Promise<void>;
}

const DEFAULT_GRACE_MS = 10_000;

/**
 * A grpc-js server with health checking, reflection, and the grpc-kit
 * handlers of `services` mounted with this server's authenticator and logger.
 * Health and reflection need no credentials; every other method does.
 */
export function createGrpcServer(options: GrpcServerOptions): GrpcServer {
  const shutdownController = new AbortController();
  const runtime: ServerRuntime = {
    authenticator: options.auth,
    logger: options.logger ?? consoleLogger,
    shutdownSignal: shutdownController.signal,
  };
  const server = new Server(options.serverOptions);
  const serviceNames: string[] = [];
  for (const registration of options.services) {
    const name = serviceNameOf(registration.definition);
    if (serviceNames.includes(name)) throw new ConfigError(`service ${name} is registered twice`);
    serviceNames.push(name);
    server.addService(registration.definition, mountImplementation(name, registration, runtime));
  }
  const health = new ServerHealth(server, serviceNames);
  addReflection(server, serviceNames);

  let stopping: Promise<void> | undefined;
  return {
    server,
    serviceNames,
    async listen(host, port) {
      if (stopping) throw new ConfigError('server is shut down');
      const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
      const credentials = options.credentials ?? ServerCredentials.createInsecure();
      const bound = await new Promise<number>((resolve, reject) =>
        server.bindAsync(address, credentials, (err, boundPort) => (err ? reject(err) : resolve(boundPort))),
      );
      health.markListening();
      runtime.logger.info('gRPC server listening', { host, port: bound, services: serviceNames });
      return bound;
    },
    setServing: (service, serving) => health.setServing(service, serving),
    shutdown(graceMs = DEFAULT_GRACE_MS) {
      stopping ??= new Promise<void>((resolve) => {
        health.markStopping();
        shutdownController.abort();
        const force = setTimeout(() => {
          runtime.logger.warn('grace period over: cancelling remaining calls', { graceMs });
          server.forceShutdown();
          resolve();
        }, graceMs);
        server.tryShutdown(() => {
          clearTimeout(force);
          resolve();
        });
      });
      return stopping;
    },
  };
}

function mountImplementation(service: string, registration: ServiceRegistration, runtime: ServerRuntime): UntypedServiceImplementation {
  const mounted: UntypedServiceImplementation = {};
  for (const [key, handler] of Object.entries(registration.implementation)) {
    if (handler === undefined) continue;
    const method = registration.definition[key];
    if (method === undefined) throw new ConfigError(`${service} has no method '${key}'`);
    const result = mountHandler(handler, runtime);
    if (result === undefined) {
      // A raw grpc-js handler would run without authentication.
      throw new ConfigError(`${service}.${key} is not built with unaryHandler or serverStreamHandler`);
    }
    const expected: HandlerKind | undefined =
      method.requestStream ? undefined : method.responseStream ? 'serverStream' : 'unary';
    if (result.kind !== expected) {
      throw new ConfigError(`${service}.${key} is a ${describeKind(method)} method but its handler is ${result.kind}`);
    }
    mounted[key] = result.handle;
  }
  return mounted;
}

function describeKind(method: { requestStream: boolean; responseStream: boolean }): string {
  if (method.requestStream) return method.responseStream ? 'bidi-streaming' : 'client-streaming';
  return method.responseStream ? 'server-streaming' : 'unary';
}
