import { createHash } from 'node:crypto';
import { verifyManifest } from '@wasmbed/protocol';

/**
 * Manifest signatures this gateway has already checked. A rollout sends the same
 * signed manifest to every device; importing the publisher key and verifying
 * Ed25519 once per device cost more gateway CPU than the transfer itself. Only
 * successes are remembered (keyed by a digest of all three inputs), bounded, oldest
 * evicted first.
 */
export class VerifiedManifests {
  private readonly verified = new Set<string>();

  constructor(private readonly capacity = 256) {}

  verify(manifestBytes: Uint8Array, signature: Uint8Array, publisherKey: Uint8Array): boolean {
    const key = createHash('sha256').update(manifestBytes).update(signature).update(publisherKey).digest('base64');
    if (this.verified.has(key)) return true;
    if (!verifyManifest(manifestBytes, signature, publisherKey)) return false;
    this.verified.add(key);
    if (this.verified.size > this.capacity) this.verified.delete(this.verified.values().next().value as string);
    return true;
  }

  get size(): number {
    return this.verified.size;
  }
}
