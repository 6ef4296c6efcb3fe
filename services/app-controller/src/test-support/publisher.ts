// Test-only: what a publisher does to release a revision (sign its manifest). Excluded from the build.
import { requireSpec, type ApplicationSpecInput } from '@wasmbed/domain';
import { ed25519PrivateKeyFromSeed, encodeManifest, manifestFromSource, rawEd25519PublicKey, signManifest } from '@wasmbed/protocol';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

export type UnsignedSpec = Omit<ApplicationSpecInput, 'manifestSignature' | 'publisherKey'>;

export function publisherKeyOf(seed: Uint8Array): string {
  return hex(rawEd25519PublicKey(ed25519PrivateKeyFromSeed(seed)));
}

/** The spec of revision `revision` of `appId`, signed with `seed` over the manifest built as the platform builds it. */
export function signedSpec(appId: string, revision: number, unsigned: UnsignedSpec, seed: Uint8Array): ApplicationSpecInput {
  const publisherKey = publisherKeyOf(seed);
  // Defaults filled in exactly as the domain stores the spec; the placeholder signature is not part of the manifest.
  const stored = requireSpec('spec', { ...unsigned, manifestSignature: '00'.repeat(64), publisherKey });
  const manifest = encodeManifest(manifestFromSource({ name: appId, revision, ...stored }));
  return { ...unsigned, manifestSignature: hex(signManifest(manifest, seed)), publisherKey };
}
