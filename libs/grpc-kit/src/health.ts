import { status, type Server, type ServerWritableStream, type ServiceDefinition, type UntypedServiceImplementation } from '@grpc/grpc-js';
import { ConfigError } from '@wasmbed/errors';
import { HealthImplementation } from 'grpc-health-check';

export const HEALTH_SERVICE_NAME = 'grpc.health.v1.Health';

/**
 * grpc.health.v1 for a server: "" (the whole server) plus each service. Open
 * Watch streams are ended when the server shuts down, after they have seen
 * NOT_SERVING; otherwise they would hold the graceful shutdown until its grace
 * period runs out.
 */
export class ServerHealth {
  private readonly health: HealthImplementation;
  private readonly watches = new Set<ServerWritableStream<unknown, unknown>>();
  private readonly wanted = new Map<string, boolean>();
  private phase: 'starting' | 'listening' | 'stopping' = 'starting';

  constructor(server: Server, services: readonly string[]) {
    for (const name of ['', ...services]) this.wanted.set(name, true);
    this.health = new HealthImplementation(Object.fromEntries([...this.wanted.keys()].map((name) => [name, 'NOT_SERVING'])));
    this.health.addToServer({
      addService: (definition, implementation) =>
        server.addService(definition as ServiceDefinition, this.trackWatches(implementation as UntypedServiceImplementation)),
    });
  }

  /** Before listen, this only records the wish; listen applies it. */
  setServing(service: string, serving: boolean): void {
    if (!this.wanted.has(service)) throw new ConfigError(`unknown service '${service}': not registered on this server`);
    this.wanted.set(service, serving);
    if (this.phase === 'listening') this.health.setStatus(service, serving ? 'SERVING' : 'NOT_SERVING');
  }

  markListening(): void {
    if (this.phase !== 'starting') return;
    this.phase = 'listening';
    for (const [name, serving] of this.wanted) this.health.setStatus(name, serving ? 'SERVING' : 'NOT_SERVING');
  }

  markStopping(): void {
    this.phase = 'stopping';
    for (const name of this.wanted.keys()) this.health.setStatus(name, 'NOT_SERVING');
    for (const call of this.watches) call.emit('error', { code: status.UNAVAILABLE, details: 'server is shutting down' });
    this.watches.clear();
  }

  private trackWatches(implementation: UntypedServiceImplementation): UntypedServiceImplementation {
    const watch = implementation['watch'] as (call: ServerWritableStream<unknown, unknown>) => void;
    return {
      ...implementation,
      watch: (call: ServerWritableStream<unknown, unknown>) => {
        this.watches.add(call);
        call.once('cancelled', () => this.watches.delete(call));
        watch(call);
      },
    };
  }
}
