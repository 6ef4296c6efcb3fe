import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { ServerCredentials } from '@grpc/grpc-js';
import { ConfigError } from '@wasmbed/errors';

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]*?-----END CERTIFICATE-----/g;
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z ]*PRIVATE KEY-----/;

/**
 * Every certificate of a PEM bundle. Node's TLS skips text it cannot parse
 * without a word, so a wrong file would only show later as "unable to verify";
 * here it is a ConfigError naming `source` (a variable, a flag, an option).
 */
export function parsePemCertificates(pem: Buffer | string, source: string): X509Certificate[] {
  const blocks = pem.toString().match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) throw new ConfigError(`${source}: no PEM certificate in it (expected -----BEGIN CERTIFICATE-----)`);
  return blocks.map((block, i) => {
    try {
      return new X509Certificate(block);
    } catch (err) {
      throw new ConfigError(`${source}: certificate ${i + 1} of ${blocks.length} is not valid: ${(err as Error).message}`);
    }
  });
}

/** A PEM private key (PKCS#8, PKCS#1 or SEC1, unencrypted); ConfigError naming `source` otherwise. */
export function parsePemPrivateKey(pem: Buffer | string, source: string): KeyObject {
  const text = pem.toString();
  if (!PEM_PRIVATE_KEY.test(text)) throw new ConfigError(`${source}: no PEM private key in it (expected -----BEGIN PRIVATE KEY-----)`);
  try {
    return createPrivateKey(text);
  } catch (err) {
    throw new ConfigError(`${source}: the private key cannot be read: ${(err as Error).message}`);
  }
}

export interface TlsKeyPair {
  /** PEM: the server's (or client's) certificate first, then any intermediates. */
  readonly certChain: Buffer;
  /** PEM private key of the first certificate. */
  readonly privateKey: Buffer;
}

/** Checks that both parse and belong together; `sources` name them in errors. */
export function checkTlsKeyPair(pair: TlsKeyPair, sources: { certChain: string; privateKey: string }): void {
  const [leaf] = parsePemCertificates(pair.certChain, sources.certChain);
  const key = parsePemPrivateKey(pair.privateKey, sources.privateKey);
  if (!leaf!.checkPrivateKey(key)) {
    throw new ConfigError(`${sources.privateKey}: the private key does not belong to the first certificate of ${sources.certChain}`);
  }
}

export interface ServerTlsOptions extends TlsKeyPair {
  /** PEM CA bundle: when set, clients must present a certificate it vouches for (mutual TLS). */
  readonly clientCa?: Buffer;
}

/**
 * TLS credentials for createGrpcServer, checked first so a bad file fails at
 * start with a ConfigError instead of at the first handshake. grpc-js keeps
 * Node's TLS defaults: TLS 1.2 or 1.3, 1.3 whenever the client offers it.
 */
export function serverTlsCredentials(options: ServerTlsOptions): ServerCredentials {
  checkTlsKeyPair(options, { certChain: 'certChain', privateKey: 'privateKey' });
  if (options.clientCa !== undefined) parsePemCertificates(options.clientCa, 'clientCa');
  return ServerCredentials.createSsl(
    options.clientCa ?? null,
    [{ cert_chain: options.certChain, private_key: options.privateKey }],
    options.clientCa !== undefined,
  );
}
