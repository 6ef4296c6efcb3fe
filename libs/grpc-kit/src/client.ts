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
import { checkTlsKeyPair, parsePemCertificates } from './tls-material';

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
  /** PEM CA bundle; the system roots when omitted (`tls: {}`). */
  readonly rootCerts?: Buffer;
  /** PEM key and certificate chain for mutual TLS: both or neither. */
  readonly privateKey?: Buffer;
  readonly certChain?: Buffer;
}

export interface CreateClientOptions {
  /** Bearer token sent with every call; omit for anonymous calls (health, reflection). */
  readonly token?: string;
  /** TLS settings; omitted (and no `credentials`) = plaintext, which may carry a token to a loopback address only. */
  readonly tls?: TlsOptions;
  /** Channel credentials built elsewhere (e.g. createSsl with verifyOptions), instead of `tls`. */
  readonly credentials?: ChannelCredentials;
  readonly channelOptions?: Partial<ClientOptions>;
}

/**
 * A client for `address` ("host:port"). With TLS the token travels as call
 * credentials, to any host; on plaintext (local development, tests) an
 * interceptor adds it, and only loopback addresses are accepted so a token
 * never crosses a network unencrypted. Bad TLS material is a ConfigError here,
 * not a failed handshake later.
 */
export function createClient<C>(Client: ClientConstructor<C>, address: string, options: CreateClientOptions = {}): C {
  const { token, channelOptions = {} } = options;
  const channel = channelCredentialsOf(options);
  if (channel._isSecure()) {
    return new Client(address, token === undefined ? channel : credentials.combineChannelCredentials(channel, bearerCallCredentials(token)), channelOptions);
  }
  if (token === undefined) return new Client(address, channel, channelOptions);
  if (!isLoopbackAddress(address)) {
    throw new ConfigError(
      `refusing to send a bearer token in plaintext to ${address}: use TLS (option tls, with the server's CA in tls.rootCerts or tls: {} for the system roots)`,
    );
  }
  const addToken: Interceptor = (callOptions, nextCall) =>
    new InterceptingCall(nextCall(callOptions), {
      start(metadata, listener, next) {
        metadata.merge(bearerMetadata(token));
        next(metadata, listener);
      },
    });
  return new Client(address, channel, {
    ...channelOptions,
    interceptors: [...(channelOptions.interceptors ?? []), addToken],
  });
}

function channelCredentialsOf(options: CreateClientOptions): ChannelCredentials {
  const { tls } = options;
  if (options.credentials !== undefined) {
    if (tls !== undefined) throw new ConfigError('createClient: give tls or credentials, not both');
    return options.credentials;
  }
  if (tls === undefined) return credentials.createInsecure();
  if (tls.rootCerts !== undefined) parsePemCertificates(tls.rootCerts, 'tls.rootCerts');
  if ((tls.privateKey === undefined) !== (tls.certChain === undefined)) {
    throw new ConfigError('tls.privateKey and tls.certChain go together (a client certificate for mutual TLS): give both or neither');
  }
  if (tls.privateKey !== undefined && tls.certChain !== undefined) {
    checkTlsKeyPair({ privateKey: tls.privateKey, certChain: tls.certChain }, { privateKey: 'tls.privateKey', certChain: 'tls.certChain' });
  }
  return credentials.createSsl(tls.rootCerts ?? null, tls.privateKey ?? null, tls.certChain ?? null);
}

/** localhost, 127.0.0.0/8, ::1 or a unix socket, with or without a "dns:" / "ipv4:" / "ipv6:" scheme. */
export function isLoopbackAddress(address: string): boolean {
  if (address.startsWith('unix:')) return true;
  const target = address.replace(/^(dns|ipv4|ipv6):(\/\/[^/]*\/)?/, '');
  return isLoopbackHost(target.startsWith('[') ? target.slice(1, target.indexOf(']')) : target.split(':')[0]!);
}

/** A host name or IP literal (IPv6 without brackets) that stays on this machine. */
export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
