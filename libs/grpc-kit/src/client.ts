import {
  credentials,
  InterceptingCall,
  Metadata,
  type CallCredentials,
  type ChannelCredentials,
  type ClientOptions,
  type Interceptor,
} from '@grpc/grpc-js';
import { ConfigError } from '@wasmbed/errors';
import { AUTHORIZATION_METADATA_KEY } from './authenticator';

/** Sends `authorization: Bearer <token>` with every call (TLS channels only, by grpc-js rule). */
export function bearerCallCredentials(token: string): CallCredentials {
  return credentials.createFromMetadataGenerator((_params, callback) => callback(null, bearerMetadata(token)));
}

function bearerMetadata(token: string): Metadata {
  const metadata = new Metadata();
  metadata.set(AUTHORIZATION_METADATA_KEY, `Bearer ${token}`);
  return metadata;
}

/** A generated client class, e.g. DeviceServiceClient from @wasmbed/proto. */
export type ClientConstructor<C> = new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>) => C;

export interface TlsOptions {
  /** PEM CA bundle; the system roots when omitted. */
  readonly rootCerts?: Buffer;
  /** PEM key and certificate for mutual TLS. */
  readonly privateKey?: Buffer;
  readonly certChain?: Buffer;
}

export interface CreateClientOptions {
  /** Bearer token sent with every call; omit for anonymous calls (health, reflection). */
  readonly token?: string;
  /** TLS settings; omitted = plaintext, which may carry a token to a loopback address only. */
  readonly tls?: TlsOptions;
  readonly channelOptions?: Partial<ClientOptions>;
}

/**
 * A client for `address` ("host:port"). With TLS the token travels as call
 * credentials; on plaintext (local development, tests) an interceptor adds it,
 * and only loopback addresses are accepted so a token never crosses a network
 * unencrypted.
 */
export function createClient<C>(Client: ClientConstructor<C>, address: string, options: CreateClientOptions = {}): C {
  const { token, tls, channelOptions = {} } = options;
  if (tls) {
    const channel = credentials.createSsl(tls.rootCerts ?? null, tls.privateKey ?? null, tls.certChain ?? null);
    return new Client(address, token === undefined ? channel : credentials.combineChannelCredentials(channel, bearerCallCredentials(token)), channelOptions);
  }
  if (token === undefined) return new Client(address, credentials.createInsecure(), channelOptions);
  if (!isLoopbackAddress(address)) {
    throw new ConfigError(`refusing to send a bearer token in plaintext to ${address}: use tls`);
  }
  const addToken: Interceptor = (callOptions, nextCall) =>
    new InterceptingCall(nextCall(callOptions), {
      start(metadata, listener, next) {
        metadata.merge(bearerMetadata(token));
        next(metadata, listener);
      },
    });
  return new Client(address, credentials.createInsecure(), {
    ...channelOptions,
    interceptors: [...(channelOptions.interceptors ?? []), addToken],
  });
}

/** localhost, 127.0.0.0/8, ::1 or a unix socket, with or without a "dns:" / "ipv4:" / "ipv6:" scheme. */
export function isLoopbackAddress(address: string): boolean {
  if (address.startsWith('unix:')) return true;
  const target = address.replace(/^(dns|ipv4|ipv6):(\/\/[^/]*\/)?/, '');
  const host = target.startsWith('[') ? target.slice(1, target.indexOf(']')) : target.split(':')[0]!;
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
