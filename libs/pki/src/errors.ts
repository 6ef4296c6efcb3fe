import { WasmbedError } from '@wasmbed/errors';

// Messages and details name what is wrong, never the key or certificate bytes.

/** A key is not a well-formed Ed25519 key (wrong length, encoding or PEM). */
export class InvalidKeyError extends WasmbedError {
  readonly code = 'invalid_argument' as const;
}

/** A certificate or key uses an algorithm other than Ed25519. */
export class UnsupportedKeyAlgorithmError extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(readonly algorithm: string) {
    super(`key algorithm '${algorithm}' is not supported; Wasmbed identities are Ed25519`, { algorithm });
  }
}

/** Bytes that should be an X.509 certificate are malformed or fail their own checks. */
export class InvalidCertificateError extends WasmbedError {
  readonly code = 'invalid_argument' as const;
}

/** A private key does not belong to the certificate it is paired with. */
export class KeyMismatchError extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(what: string) {
    super(`the private key does not match the public key of ${what}`, { what });
  }
}

/** The CA asked to issue a certificate is outside its own validity period. */
export class CertificateAuthorityExpiredError extends WasmbedError {
  readonly code = 'failed_precondition' as const;
  constructor(commonName: string, notAfter: Date) {
    super(`certificate authority '${commonName}' is not valid now (notAfter ${notAfter.toISOString()})`, {
      commonName,
      notAfter: notAfter.toISOString(),
    });
  }
}

/** A PKI directory lacks a file that the caller needs. */
export class PkiMaterialNotFoundError extends WasmbedError {
  readonly code = 'not_found' as const;
  constructor(readonly path: string) {
    super(`PKI file not found: ${path}`, { path });
  }
}

/** A PKI directory holds a certificate without its key or the reverse. */
export class PkiMaterialIncompleteError extends WasmbedError {
  readonly code = 'failed_precondition' as const;
  constructor(readonly present: string, readonly missing: string) {
    super(`PKI file ${present} exists but ${missing} does not`, { present, missing });
  }
}
