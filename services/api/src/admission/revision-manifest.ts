import type { ApplicationSpec } from '@wasmbed/domain';
import { encodeManifest, manifestFromSource, ProtocolError, type Manifest } from '@wasmbed/protocol';
import { ManifestNotEncodable } from './errors';

/**
 * The manifest a revision's devices receive, derived from the stored spec the
 * way the app-controller and the publisher's tools derive it
 * (manifestFromSource), so all three agree on the bytes that are signed.
 */
export function revisionManifest(application: string, revision: number, spec: ApplicationSpec): Manifest {
  return manifestFromSource({ name: application, revision, ...spec });
}

/** The deterministic bytes of that manifest: what `manifest_signature` signs. */
export function revisionManifestBytes(application: string, revision: number, spec: ApplicationSpec): Uint8Array {
  try {
    return encodeManifest(revisionManifest(application, revision, spec));
  } catch (err) {
    if (err instanceof ProtocolError) throw new ManifestNotEncodable(application, revision, err.message);
    throw err;
  }
}
