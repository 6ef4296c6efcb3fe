import { Metadata, status, type CallOptions, type ClientReadableStream, type ServiceError } from '@grpc/grpc-js';
import { createClient, readErrorMetadata } from '@wasmbed/grpc-kit';
import { ApplicationServiceClient, DeviceServiceClient, GatewayServiceClient } from '@wasmbed/proto';

export interface ApiConnection {
  /** host:port of the api's gRPC listener. */
  readonly address: string;
  readonly token: string;
  /** PEM CA bundle: speak TLS (required for a non-loopback address, by grpc-kit's rule). */
  readonly caPem?: Buffer;
  /** Deadline of each unary call. */
  readonly timeoutMs: number;
}

/** The three api services the sync talks to, behind one token. */
export class FleetApi {
  readonly devices: DeviceServiceClient;
  readonly apps: ApplicationServiceClient;
  readonly gateways: GatewayServiceClient;

  constructor(readonly connection: ApiConnection) {
    const options = { token: connection.token, ...(connection.caPem ? { tls: { rootCerts: connection.caPem } } : {}) };
    this.devices = createClient(DeviceServiceClient, connection.address, options);
    this.apps = createClient(ApplicationServiceClient, connection.address, options);
    this.gateways = createClient(GatewayServiceClient, connection.address, options);
  }

  /**
   * One unary call as a promise, with the connection's deadline. `invoke` receives the
   * generated method's full (request, metadata, options, callback) form.
   */
  call<Res>(invoke: (metadata: Metadata, options: Partial<CallOptions>, done: (err: ServiceError | null, res: Res) => void) => unknown): Promise<Res> {
    return new Promise((resolve, reject) => {
      invoke(new Metadata(), { deadline: Date.now() + this.connection.timeoutMs }, (err, res) => (err ? reject(err) : resolve(res)));
    });
  }

  close(): void {
    for (const client of [this.devices, this.apps, this.gateways]) client.close();
  }
}

export type ServerStream<T> = ClientReadableStream<T>;

/** How the sync treats a failed call. */
export type FailureClass =
  /** Decided on an outdated read model (ABORTED: the aggregate moved on): plan again soon. */
  | 'stale'
  /** The api or the network failed: retry with back-off, the spec is not at fault. */
  | 'transient'
  /** The api refused the command (validation, domain rule, permissions): report it on the object. */
  | 'refused';

export interface ApiFailure {
  readonly code: status;
  /** CamelCase, for a condition's reason: the domain error's name when the api sent one (DeviceNotFound), else the gRPC code (FailedPrecondition). */
  readonly reason: string;
  readonly message: string;
  readonly class: FailureClass;
}

const TRANSIENT = new Set([status.UNAVAILABLE, status.DEADLINE_EXCEEDED, status.INTERNAL, status.UNKNOWN, status.RESOURCE_EXHAUSTED, status.CANCELLED]);

const pascalCodeName = (code: status): string =>
  (status[code] ?? 'UNKNOWN')
    .split('_')
    .map((w) => w.charAt(0) + w.slice(1).toLowerCase())
    .join('');

function isServiceError(err: unknown): err is ServiceError {
  return err instanceof Error && typeof (err as Partial<ServiceError>).code === 'number' && (err as Partial<ServiceError>).metadata instanceof Metadata;
}

export function describeApiFailure(err: unknown): ApiFailure {
  if (!isServiceError(err)) {
    return { code: status.UNKNOWN, reason: 'Unknown', message: err instanceof Error ? err.message : String(err), class: 'transient' };
  }
  const name = readErrorMetadata(err.metadata).name;
  const reason = name !== undefined && /^[A-Za-z][A-Za-z0-9]*$/.test(name) ? name : pascalCodeName(err.code);
  const cls: FailureClass = err.code === status.ABORTED ? 'stale' : TRANSIENT.has(err.code) ? 'transient' : 'refused';
  return { code: err.code, reason, message: err.details || err.message, class: cls };
}

export const isNotFound = (err: unknown): boolean => isServiceError(err) && err.code === status.NOT_FOUND;
