import { compareStrings } from '../shared/canonical';

/**
 * A map from device name to a value, kept as plain JSON and split into
 * DEVICE_MAP_SHARDS shards by a hash of the name. Setting one device copies its
 * shard and the shard index, not every device: a rollout records about two
 * outcomes per device, and with a flat record (copied by every event of an
 * immutable state) a rollout to n devices cost O(n²).
 *
 * The shape depends only on the devices present, not on the order they were
 * set in, so equal maps compare equal. Treat it as opaque: read and write it
 * through the functions below.
 */
export interface DeviceMap<V> {
  readonly size: number;
  /** Shard number → device → value; only shards holding a device are present. */
  readonly shards: Readonly<Record<string, Readonly<Record<string, V>>>>;
}

/** Enough to keep each copied shard small for tens of thousands of devices, few enough that the index stays cheap to copy. */
export const DEVICE_MAP_SHARDS = 64;

export function emptyDeviceMap<V>(): DeviceMap<V> {
  return { size: 0, shards: {} };
}

export function deviceMapGet<V>(map: DeviceMap<V>, device: string): V | undefined {
  const shard = map.shards[shardOf(device)];
  return shard !== undefined && Object.hasOwn(shard, device) ? shard[device] : undefined;
}

export function deviceMapHas<V>(map: DeviceMap<V>, device: string): boolean {
  const shard = map.shards[shardOf(device)];
  return shard !== undefined && Object.hasOwn(shard, device);
}

/** A new map with `device` set to `value`; `map` is left as it was. */
export function deviceMapSet<V>(map: DeviceMap<V>, device: string, value: V): DeviceMap<V> {
  const key = shardOf(device);
  const shard = map.shards[key];
  const isNew = shard === undefined || !Object.hasOwn(shard, device);
  return {
    size: isNew ? map.size + 1 : map.size,
    shards: { ...map.shards, [key]: { ...shard, [device]: value } },
  };
}

/** Every device and its value, sorted by device name (code-unit order). */
export function deviceMapEntries<V>(map: DeviceMap<V>): [string, V][] {
  const entries: [string, V][] = [];
  deviceMapForEach(map, (value, device) => entries.push([device, value]));
  return entries.sort(([a], [b]) => compareStrings(a, b));
}

/** Calls `visit` for every device, in no particular order (cheaper than sorted entries when order does not matter). */
export function deviceMapForEach<V>(map: DeviceMap<V>, visit: (value: V, device: string) => void): void {
  for (const shard of Object.values(map.shards)) for (const device of Object.keys(shard)) visit(shard[device], device);
}

export function deviceMapFrom<V>(entries: Iterable<readonly [string, V]>): DeviceMap<V> {
  let map = emptyDeviceMap<V>();
  for (const [device, value] of entries) map = deviceMapSet(map, device, value);
  return map;
}

/** FNV-1a over the name's UTF-16 code units: stable across machines and versions, unlike any built-in hash. */
function shardOf(device: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < device.length; i += 1) {
    hash ^= device.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return String((hash >>> 0) % DEVICE_MAP_SHARDS);
}
