/**
 * A tampering writer on the module store: makes the store's entry for `original`
 * (its SHA-256 key) point at other bytes, as someone with write access to the
 * JetStream stream could. The Object Store layout (`$O.<bucket>.M.<base64url key>`
 * metadata naming a chunk set) is NATS's, so it is spelled out here on purpose.
 */
import { jetstreamManager } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { MODULE_BUCKET, MODULE_STREAM, putModule, sha256Hex } from '@wasmbed/device-bus';

const metaSubject = (key: string): string => {
  const text = Buffer.from(key, 'utf8').toString('base64url');
  return `$O.${MODULE_BUCKET}.M.${text}${'='.repeat((4 - (text.length % 4)) % 4)}`;
};

/** Stores `tampered` and renames its metadata to `original`'s key; returns that key. */
export async function storeTamperedModule(nc: NatsConnection, original: Uint8Array, tampered: Uint8Array): Promise<string> {
  const key = sha256Hex(original);
  const stored = await putModule(nc, tampered);
  const jsm = await jetstreamManager(nc);
  const meta = await jsm.streams.getMessage(MODULE_STREAM, { last_by_subj: metaSubject(stored) });
  if (meta === null) throw new Error(`module ${stored} has no metadata after putModule`);
  await nc.request(metaSubject(key), JSON.stringify({ ...meta.json<Record<string, unknown>>(), name: key }));
  return key;
}
