import fc from 'fast-check';
import { deepFreeze } from '../testing/deep-freeze';
import {
  DEVICE_MAP_SHARDS,
  deviceMapEntries,
  deviceMapForEach,
  deviceMapFrom,
  deviceMapGet,
  deviceMapHas,
  deviceMapSet,
  emptyDeviceMap,
  type DeviceMap,
} from './device-map';

// Few distinct names, so sequences overwrite devices and share shards often.
const deviceName = fc.oneof(
  fc.constantFrom('d1', 'd2', 'd3', 'sensor-7', 'a', 'z9'),
  fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,6}[a-z0-9])?$/),
);
const operations = fc.array(fc.tuple(deviceName, fc.integer()), { maxLength: 60 });

const byName = ([a]: [string, unknown], [b]: [string, unknown]): number => (a < b ? -1 : a > b ? 1 : 0);

function expectMatches(map: DeviceMap<number>, reference: ReadonlyMap<string, number>, probes: Iterable<string>): void {
  const names = [...probes];
  expect({
    size: map.size,
    entries: deviceMapEntries(map),
    visited: visitAll(map),
    values: names.map((d) => deviceMapGet(map, d)),
    present: names.map((d) => deviceMapHas(map, d)),
  }).toEqual({
    size: reference.size,
    entries: [...reference].sort(byName),
    visited: [...reference].sort(byName),
    values: names.map((d) => reference.get(d)),
    present: names.map((d) => reference.has(d)),
  });
}

/** What deviceMapForEach visits, sorted (it promises no order). */
function visitAll(map: DeviceMap<number>): [string, number][] {
  const visited: [string, number][] = [];
  deviceMapForEach(map, (value, device) => visited.push([device, value]));
  return visited.sort(byName);
}

describe('DeviceMap', () => {
  it('answers like a plain record after any sequence of sets, every earlier version included', () => {
    fc.assert(
      fc.property(operations, fc.array(deviceName, { maxLength: 10 }), (ops, extraProbes) => {
        const probes = new Set([...ops.map(([d]) => d), ...extraProbes]);
        const versions: { map: DeviceMap<number>; reference: Map<string, number> }[] = [{ map: emptyDeviceMap(), reference: new Map() }];
        for (const [device, value] of ops) {
          const last = versions[versions.length - 1];
          versions.push({ map: deviceMapSet(last.map, device, value), reference: new Map(last.reference).set(device, value) });
        }
        // Persistence: a set never changes the map it started from.
        for (const { map, reference } of versions) expectMatches(map, reference, probes);
      }),
    );
  });

  it('has one shape per content, whatever order the devices were set in', () => {
    const entriesTwice = fc
      .uniqueArray(fc.tuple(deviceName, fc.integer()), { selector: ([d]) => d, maxLength: 60 })
      .chain((entries) => fc.tuple(fc.constant(entries), fc.shuffledSubarray(entries, { minLength: entries.length, maxLength: entries.length })));
    fc.assert(
      fc.property(entriesTwice, ([entries, shuffled]) => {
        expect(deviceMapFrom(shuffled)).toEqual(deviceMapFrom(entries));
      }),
    );
  });

  it('is plain JSON: a parsed copy answers the same', () => {
    fc.assert(
      fc.property(operations, (ops) => {
        const map = ops.reduce((m, [device, value]) => deviceMapSet(m, device, value), emptyDeviceMap<number>());
        const parsed = JSON.parse(JSON.stringify(map)) as DeviceMap<number>;
        expect(parsed).toEqual(map);
        expectMatches(parsed, new Map(deviceMapEntries(map)), ops.map(([d]) => d));
      }),
    );
  });

  it('copies one shard per set and shares every other one with the map it came from', () => {
    const names = Array.from({ length: 1000 }, (_, i) => `dev-${i}`);
    const before = deepFreeze(deviceMapFrom(names.map((d, i) => [d, i] as const)));
    expect(Object.keys(before.shards)).toHaveLength(DEVICE_MAP_SHARDS);
    const after = deviceMapSet(before, 'dev-500', -1);
    const changed = Object.keys(after.shards).filter((k) => after.shards[k] !== before.shards[k]);
    expect(changed).toHaveLength(1);
    expect(Object.keys(after.shards[changed[0]]).length).toBeLessThan(names.length / 8);
    expect(deviceMapGet(after, 'dev-500')).toBe(-1);
    expect(deviceMapGet(before, 'dev-500')).toBe(500);
    expect(after.size).toBe(1000);
  });

  it('finds only devices that were set, not properties every object has', () => {
    const map = deviceMapFrom(['constructor', 'toString', 'valueOf', 'hasOwnProperty'].map((d) => [`x${d}`, 1] as const));
    for (const name of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__']) {
      expect(deviceMapGet(map, name)).toBeUndefined();
      expect(deviceMapHas(map, name)).toBe(false);
    }
  });
});
