import { Metadata, type CallOptions, type ClientReadableStream, type ClientUnaryCall, type ServiceError } from '@grpc/grpc-js';
import { ConfigError } from '@wasmbed/errors';
import { createClient, type ClientConstructor, type TlsOptions } from '@wasmbed/grpc-kit';
import { AdminServiceClient, ApplicationServiceClient, DeviceServiceClient, GatewayServiceClient } from '@wasmbed/proto';
import { apiErrorOf, isGrpcFailure, type ServiceKey } from './api-errors';
import { InputError } from './errors';

/** The generated clients, by the CLI's short name for their service. */
export interface ApiServices {
  readonly devices: DeviceServiceClient;
  readonly apps: ApplicationServiceClient;
  readonly gateways: GatewayServiceClient;
  readonly admin: AdminServiceClient;
}

const CONSTRUCTORS: { readonly [S in ServiceKey]: ClientConstructor<ApiServices[S]> } = {
  devices: DeviceServiceClient,
  apps: ApplicationServiceClient,
  gateways: GatewayServiceClient,
  admin: AdminServiceClient,
};

type UnaryFn<Req, Res> = (
  request: Req,
  metadata: Metadata,
  options: Partial<CallOptions>,
  callback: (error: ServiceError | null, response: Res) => void,
) => ClientUnaryCall;
type StreamFn<Req, Res> = (request: Req, metadata?: Metadata, options?: Partial<CallOptions>) => ClientReadableStream<Res>;

// Inference on an overloaded method reads its last overload: the full
// (request, metadata, options, callback) one for unary methods.
// A stream method would also pass as unary (fewer parameters are assignable); the callback parameter tells them apart.
type UnaryName<C> = {
  [K in keyof C]: C[K] extends UnaryFn<infer _Q, infer _S> ? (C[K] extends (...args: infer P) => unknown ? (P['length'] extends 4 ? K : never) : never) : never;
}[keyof C] &
  string;
type StreamName<C> = { [K in keyof C]: C[K] extends StreamFn<infer _Q, infer _S> ? K : never }[keyof C] & string;
type UnaryRequest<F> = F extends UnaryFn<infer Q, infer _S> ? Q : never;
type UnaryResponse<F> = F extends UnaryFn<infer _Q, infer S> ? S : never;
type StreamRequest<F> = F extends StreamFn<infer Q, infer _S> ? Q : never;
type StreamMessage<F> = F extends StreamFn<infer _Q, infer S> ? S : never;

/** A server stream as an async iterable; cancel() ends the iteration quietly. */
export interface ApiStream<T> extends AsyncIterable<T> {
  cancel(): void;
}

export interface ApiConnection {
  /** host:port of the api's gRPC listener. */
  readonly address: string;
  /** Bearer token; undefined = calls go out without one (the api will answer UNAUTHENTICATED). */
  readonly token?: string;
  /** Deadline of each unary call. */
  readonly timeoutMs: number;
  /** TLS settings; undefined = plaintext (a token then goes to loopback addresses only). */
  readonly tls?: TlsOptions;
}

/**
 * The api's gRPC services behind one token and deadline policy. Clients are
 * created on first use; every failure is mapped to an error that says what to do.
 */
export class ApiClient {
  private readonly clients = new Map<ServiceKey, ApiServices[ServiceKey]>();

  constructor(readonly connection: ApiConnection) {}

  unary<S extends ServiceKey, K extends UnaryName<ApiServices[S]>>(
    service: S,
    method: K,
    request: UnaryRequest<ApiServices[S][K]>,
  ): Promise<UnaryResponse<ApiServices[S][K]>> {
    const client = this.client(service);
    const fn = client[method] as unknown as UnaryFn<typeof request, UnaryResponse<ApiServices[S][K]>>;
    const { address, timeoutMs } = this.connection;
    const tls = this.connection.tls !== undefined;
    return new Promise((resolve, reject) => {
      fn.call(client, request, new Metadata(), { deadline: Date.now() + timeoutMs }, (error, response) => {
        if (error) reject(apiErrorOf(error, { address, service, method, timeoutMs, tls }));
        else resolve(response);
      });
    });
  }

  /** A server stream without deadline: it lasts until the server ends it or cancel(). */
  stream<S extends ServiceKey, K extends StreamName<ApiServices[S]>>(
    service: S,
    method: K,
    request: StreamRequest<ApiServices[S][K]>,
  ): ApiStream<StreamMessage<ApiServices[S][K]>> {
    const client = this.client(service);
    const fn = client[method] as unknown as StreamFn<typeof request, StreamMessage<ApiServices[S][K]>>;
    const call = fn.call(client, request, new Metadata(), {});
    const address = this.connection.address;
    const tls = this.connection.tls !== undefined;
    let cancelled = false;
    return {
      cancel() {
        cancelled = true;
        call.cancel();
      },
      async *[Symbol.asyncIterator]() {
        try {
          for await (const message of call) yield message as StreamMessage<ApiServices[S][K]>;
        } catch (err) {
          if (cancelled) return;
          throw isGrpcFailure(err) ? apiErrorOf(err, { address, service, method, tls }) : err;
        }
      },
    };
  }

  close(): void {
    for (const client of this.clients.values()) client.close();
    this.clients.clear();
  }

  private client<S extends ServiceKey>(service: S): ApiServices[S] {
    let client = this.clients.get(service);
    if (client === undefined) {
      // TypeScript cannot tie CONSTRUCTORS[S] to ApiServices[S] for a generic S.
      const constructor = CONSTRUCTORS[service] as ClientConstructor<ApiServices[S]>;
      try {
        const { address, token, tls } = this.connection;
        client = createClient(constructor, address, { token, ...(tls === undefined ? {} : { tls }) });
      } catch (err) {
        if (!(err instanceof ConfigError)) throw err;
        // The only refusal left: a token in plaintext beyond loopback.
        throw new InputError(
          `refusing to send the token in plaintext to ${this.connection.address}: pass --ca FILE with the api's CA (or --tls if a public CA issued its certificate), or reach it through a tunnel (ssh -L)`,
        );
      }
      this.clients.set(service, client);
    }
    return client as ApiServices[S];
  }
}
