import { MemoryDocumentStore, type ProjectionRunner } from '@wasmbed/read-models';
import { createLogger } from '../logger';
import { COLLECTIONS } from '../projections/documents';
import { ObservedDocumentStore } from '../projections/observed-document-store';
import type { Projections } from '../projections/projections';
import { ReadModelGate } from './read-model-gate';
import { ReadModelRebuild, ReadModelRebuildFailed } from './read-model-rebuild';

/** Projections whose replay the test controls: rebuild() waits for `finish`, live() reports `state`. */
function controlledProjections() {
  let finish: () => void = () => undefined;
  const replayed = new Promise<void>((resolve) => (finish = resolve));
  const control = { rebuilds: 0, state: 'catching_up', applied: 10, finish };
  const stores = { fleet: new ObservedDocumentStore(new MemoryDocumentStore()), apps: new ObservedDocumentStore(new MemoryDocumentStore()) };
  const runner = {
    rebuild: async () => {
      control.rebuilds += 1;
      await replayed;
    },
  } as unknown as ProjectionRunner;
  const projections: Projections = {
    stores,
    runners: { fleet: runner, apps: runner },
    waitForPosition: async () => undefined,
    live: async () => ({ live: control.state === 'live', contexts: { fleet: control.state, apps: control.state } }),
    eventsApplied: () => control.applied,
    stop: async () => undefined,
  };
  return { projections, stores, control };
}

const logger = createLogger('error', () => undefined);
const applied = { test: { position: 1, index: 0 } };

describe('ReadModelRebuild', () => {
  it('closes the gate until the replay caught up, joins concurrent requests, and counts', async () => {
    const { projections, stores, control } = controlledProjections();
    const gate = new ReadModelGate();
    const rebuild = new ReadModelRebuild(projections, gate, logger);
    const first = rebuild.run();
    const second = rebuild.run();
    await new Promise((resolve) => setImmediate(resolve));
    expect(gate.open).toBe(false);
    expect(control.rebuilds).toBe(2); // one per projection, not per request

    await stores.fleet.put(COLLECTIONS.devices, 'd1', {}, { applied });
    await stores.fleet.put(COLLECTIONS.devices, 'd2', {}, { applied });
    await stores.apps.put(COLLECTIONS.applications, 'a1', {}, { applied });
    control.applied = 17;
    control.state = 'live';
    control.finish();
    const result = await first;
    expect(await second).toBe(result);
    expect(result).toMatchObject({ devices: 2, gateways: 0, applications: 1, eventsReplayed: 7 });
    expect(gate.open).toBe(true);
  });

  it('reports a projection that failed while replaying, and reopens the gate', async () => {
    const { projections, control } = controlledProjections();
    const gate = new ReadModelGate();
    control.state = 'failed';
    control.finish();
    await expect(new ReadModelRebuild(projections, gate, logger).run()).rejects.toBeInstanceOf(ReadModelRebuildFailed);
    expect(gate.open).toBe(true);
  });
});
