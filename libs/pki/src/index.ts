export {
  ED25519_PUBLIC_KEY_LENGTH,
  ED25519_SEED_LENGTH,
  generateEd25519KeyPair,
  ed25519KeyPairFromSeed,
  ed25519KeyPairFromPrivateKeyPem,
  ed25519PrivateKeyFromSeed,
  ed25519PrivateKeyFromPem,
  ed25519SeedOf,
  publicKeyFromRaw,
  rawPublicKeyFromKeyObject,
  rawPublicKeyToSpkiDer,
  rawPublicKeyFromSpkiDer,
  rawPublicKeyToPem,
  rawPublicKeyFromPem,
  publicKeyToHex,
  publicKeyFromHex,
  publicKeyFingerprint,
  shortPublicKeyFingerprint,
} from './ed25519-keys';
export type { Ed25519KeyPair } from './ed25519-keys';
export type { IssuedCertificate } from './certificate-builder';
export { createCertificateAuthority, loadCertificateAuthority } from './certificate-authority';
export type { CertificateAuthority, CreateCertificateAuthorityOptions } from './certificate-authority';
export { issueServerCertificate, issueDeviceCertificate, subjectAltNamesFor } from './issue-certificates';
export type { ServerCertificate, ServerCertificateOptions, DeviceCertificateOptions } from './issue-certificates';
export { createSelfSignedDeviceCertificate } from './self-signed-device';
export type { SelfSignedDeviceCertificateOptions } from './self-signed-device';
export type { CertificateSource } from './parse-certificate';
export { TrustBundle } from './trust-bundle';
export type { TrustedCertificateAuthority } from './trust-bundle';
export { rotateCertificateAuthority, needsRenewal } from './rotation';
export type { RotateCertificateAuthorityOptions, CertificateAuthorityRotation } from './rotation';
export { renewalDueAt, CLOCK_SKEW_ALLOWANCE_MS } from './validity';
export { peerIdentityFromCertificate, peerIdentityFromSocket } from './peer-identity';
export type { PeerIdentity } from './peer-identity';
export { PKI_FILES, writePkiMaterial, loadPkiMaterial, serverCredentials } from './pki-files';
export { readOptional, writeAtomically } from './secret-files';
export type { PkiMaterial, PkiPart, ServerCredentials } from './pki-files';
export { ensureDevPki } from './dev-pki';
export type { DevPki, DevPkiOptions } from './dev-pki';
export {
  InvalidKeyError,
  UnsupportedKeyAlgorithmError,
  InvalidCertificateError,
  KeyMismatchError,
  CertificateAuthorityExpiredError,
  PkiMaterialNotFoundError,
  PkiMaterialIncompleteError,
} from './errors';
