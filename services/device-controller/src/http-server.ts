import { serveProbes, type Logger, type ProbeSources } from '@wasmbed/service-kit';

export interface ControllerHttpOptions extends ProbeSources {
  readonly logger: Logger;
}

export interface ControllerHttpServer {
  listen(host: string, port: number): Promise<number>;
  close(): Promise<void>;
}

/** Read-only: probes, Prometheus metrics and the controller's status document; no credentials. */
export function createControllerHttpServer(options: ControllerHttpOptions): ControllerHttpServer {
  return serveProbes(options, options.logger);
}
