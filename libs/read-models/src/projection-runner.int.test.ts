import { connect, type NatsConnection } from '@nats-io/transport-node';
import { createEventTypeRegistry, JetStreamEventStore, UnknownEventTypeError, type EventStore } from '@wasmbed/event-log';
import { withNats } from '@wasmbed/testing';
import { Registry } from 'prom-client';
import type { DocumentStore } from './document-store';
import { PositionWaitTimeoutError, ProjectionFailedError, ProjectionStoppedError } from './errors';
import { KvDocumentStore } from './kv-document-store';
import type { Logger } from './logger';
import { MemoryDocumentStore } from './memory-document-store';
import { defineProjection, domainEventOf, type Projection } from './projection';
import { ProjectionRunner } from './projection-runner';
import {
  appendCommit,
  devicePhasesProjection,
  phaseRegistry,
  type DevicePhasesProbe,
  type PhaseCounts,
  type PhaseEvent,
} from './test-support/device-phases';

const WAIT_MS = 10_000;

interface LogLine {
  readonly level: 'info' | 'warn' | 'error';
  readonly obj: object;
  readonly msg: string;
}

describe('ProjectionRunner on JetStream', () => {
  const nats = withNats();
  let nc: NatsConnection;
  let seq = 0;
  const cleanups: (() => Promise<void>)[] = [];

  beforeAll(async () => {
    nc = await connect({ servers: nats().url });
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  afterAll(async () => {
    await nc?.close();
  });

  /** A fresh fleet log (own stream, own aggregate type) plus a probe for one projection. */
  async function setup(registry = phaseRegistry) {
    seq += 1;
    const aggregateType = `device${seq}`;
    const prefix = `RMT${seq}`;
    const openStore = async (reg = registry): Promise<JetStreamEventStore> => {
      const store = await JetStreamEventStore.create({
        connection: nc,
        contexts: [{ name: 'fleet', aggregateTypes: [aggregateType] }],
        registry: reg,
        streamNamePrefix: prefix,
      });
      await store.ensureStreams();
      cleanups.push(() => store.close());
      return store;
    };
    const eventStore = await openStore();
    const probe: DevicePhasesProbe = { handled: [] };
    const name = `phases_${seq}`;
    const projection = devicePhasesProjection(name, ['fleet'], probe);
    const logs: LogLine[] = [];
    const logger: Logger = {
      info: (obj, msg) => logs.push({ level: 'info', obj, msg }),
      warn: (obj, msg) => logs.push({ level: 'warn', obj, msg }),
      error: (obj, msg) => logs.push({ level: 'error', obj, msg }),
    };
    const append = (deviceId: string, ...events: PhaseEvent[]) => appendCommit(eventStore, aggregateType, deviceId, events);
    const openKv = () => KvDocumentStore.open({ connection: nc, projection: name });
    const newRunner = (store: DocumentStore, options: { registry?: Registry; eventStore?: EventStore; projection?: Projection<PhaseEvent> } = {}) => {
      const runner = new ProjectionRunner<PhaseEvent>({
        projection: options.projection ?? projection,
        eventStore: options.eventStore ?? eventStore,
        store,
        logger,
        registry: options.registry,
        headRefreshMs: 100,
      });
      cleanups.push(() => runner.stop());
      return runner;
    };
    return { eventStore, openStore, aggregateType, probe, projection, logs, append, openKv, newRunner };
  }

  const enrolled = (phase: string): PhaseEvent => ({ type: 'DeviceEnrolled', data: { phase } });
  const changed = (from: string, to: string): PhaseEvent => ({ type: 'DevicePhaseChanged', data: { from, to } });
  const note = (text: string): PhaseEvent => ({ type: 'DeviceNoteAdded', data: { note: text } });

  async function countsOf(store: DocumentStore): Promise<Record<string, number> | undefined> {
    return (await store.get<PhaseCounts>('phase_counts', 'all'))?.doc.counts;
  }

  async function snapshot(store: DocumentStore) {
    const all = async (collection: string) => (await store.list(collection, { limit: 1_000 })).items.map(({ id, doc }) => ({ id, doc }));
    return { devices: await all('devices'), counts: await all('phase_counts') };
  }

  it('catches up on existing events, then follows live appends', async () => {
    const t = await setup();
    await t.append('d1', enrolled('registered'));
    await t.append('d2', enrolled('registered'));
    const head = await t.append('d1', changed('registered', 'connected'));
    const store = await t.openKv();
    const runner = t.newRunner(store);
    await runner.start();
    await runner.waitForPosition('fleet', head, WAIT_MS);
    expect(await countsOf(store)).toEqual({ registered: 1, connected: 1 });
    await expect(store.get('devices', 'd1')).resolves.toMatchObject({ doc: { phase: 'connected' } });
    expect(await runner.status()).toEqual([
      { name: t.projection.name, context: 'fleet', checkpoint: head, head, lagEvents: 0, state: 'live' },
    ]);

    const live = await t.append('d3', enrolled('registered'), changed('registered', 'connected'));
    await runner.waitForPosition('fleet', live, WAIT_MS);
    expect(await countsOf(store)).toEqual({ registered: 1, connected: 2 });
    await expect(store.getCheckpoint('fleet')).resolves.toBe(live);
    expect(t.probe.handled.map((e) => e.position)).toEqual([1, 2, 3, live, live]);
  });

  it('reports catching_up while replaying, then live', async () => {
    const t = await setup();
    for (let i = 1; i <= 3; i += 1) await t.append(`d${i}`, enrolled('registered'));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow = defineProjection<PhaseEvent>({
      ...t.projection,
      async handle(event, docs) {
        if (event.position === 2) await gate;
        await t.projection.handle(event, docs);
      },
    });
    const runner = t.newRunner(new MemoryDocumentStore(), { projection: slow });
    await runner.start();
    await waitFor(async () => runner.checkpoint('fleet') === 1);
    expect((await runner.status())[0]).toMatchObject({ state: 'catching_up', checkpoint: 1, head: 3, lagEvents: 2 });
    release();
    await runner.waitForPosition('fleet', 3, WAIT_MS);
    expect((await runner.status())[0]).toMatchObject({ state: 'live', checkpoint: 3, lagEvents: 0 });
  });

  it('hands only the listed event types to the handler but checkpoints every commit', async () => {
    const t = await setup();
    await t.append('d1', enrolled('registered'));
    const last = await t.append('d1', note('firmware flashed by hand'));
    const runner = t.newRunner(new MemoryDocumentStore());
    await runner.start();
    await runner.waitForPosition('fleet', last, WAIT_MS);
    expect(t.probe.handled.map((e) => e.type)).toEqual(['DeviceEnrolled']);
    expect(runner.checkpoint('fleet')).toBe(last);
  });

  it('survives a runner restart without reapplying anything', async () => {
    const t = await setup();
    for (let i = 1; i <= 5; i += 1) await t.append(`d${i}`, enrolled('registered'));
    const first = t.newRunner(await t.openKv());
    await first.start();
    await first.waitForPosition('fleet', 5, WAIT_MS);
    await first.stop();
    expect(t.probe.handled).toHaveLength(5);

    const store = await t.openKv();
    const second = t.newRunner(store);
    await second.start();
    expect(second.checkpoint('fleet')).toBe(5);
    const next = await t.append('d6', enrolled('registered'));
    await second.waitForPosition('fleet', next, WAIT_MS);
    expect(t.probe.handled.map((e) => e.position)).toEqual([1, 2, 3, 4, 5, next]);
    expect(await countsOf(store)).toEqual({ registered: 6 });
  });

  it('is idempotent when commits come again after a crash between write and checkpoint', async () => {
    const t = await setup();
    await t.append('d1', enrolled('registered'));
    await t.append('d2', enrolled('registered'));
    const last = await t.append('d1', changed('registered', 'connected'), changed('connected', 'running'));
    const registry = new Registry();
    const store = await t.openKv();
    const first = t.newRunner(store, { registry });
    await first.start();
    await first.waitForPosition('fleet', last, WAIT_MS);
    await first.stop();
    const before = await snapshot(store);

    // The documents hold every commit, but the checkpoint writes after commit 1 were "lost".
    await store.setCheckpoint('fleet', 1);
    const second = t.newRunner(store, { registry });
    await second.start();
    await second.waitForPosition('fleet', last, WAIT_MS);
    expect(t.probe.handled.map((e) => e.position)).toEqual([1, 2, last, last, 2, last, last]);
    expect(await snapshot(store)).toEqual(before);
    expect(await countsOf(store)).toEqual({ registered: 1, connected: 0, running: 1 });
    const metrics = await registry.metrics();
    // Commit 2 re-wrote counts + device, commit 3 twice counts + device: all dropped.
    expect(metrics).toContain(`wasmbed_projection_skipped_writes_total{projection="${t.projection.name}"} 6`);
  });

  it('rebuild wipes and replays to the same read model, and stays live', async () => {
    const t = await setup();
    await t.append('d1', enrolled('registered'));
    await t.append('d2', enrolled('registered'));
    await t.append('d2', changed('registered', 'connected'));
    const head = await t.append('d3', enrolled('registered'), changed('registered', 'failed'));
    const store = await t.openKv();
    const runner = t.newRunner(store);
    await runner.start();
    await runner.waitForPosition('fleet', head, WAIT_MS);
    const before = await snapshot(store);
    // A stray document the events never produced must not survive a rebuild.
    await store.put('devices', 'stray', { phase: 'bogus' }, { applied: {} });

    await runner.rebuild();
    await runner.waitForPosition('fleet', head, WAIT_MS);
    expect(await snapshot(store)).toEqual(before);
    expect(t.probe.handled).toHaveLength(10);
    const after = await t.append('d4', enrolled('registered'));
    await runner.waitForPosition('fleet', after, WAIT_MS);
    expect(await countsOf(store)).toEqual({ registered: 2, connected: 1, failed: 1 });
    expect((await runner.status())[0]).toMatchObject({ state: 'live', checkpoint: after });
  });

  it('waitForPosition resolves on arrival, times out, and rejects bad input and stop()', async () => {
    const t = await setup();
    const runner = t.newRunner(new MemoryDocumentStore());
    await runner.start();
    await expect(runner.waitForPosition('fleet', 0, 10)).resolves.toBeUndefined();
    const pending = runner.waitForPosition('fleet', 1, WAIT_MS);
    await t.append('d1', enrolled('registered'));
    await expect(pending).resolves.toBeUndefined();
    await expect(runner.waitForPosition('fleet', 1, 10)).resolves.toBeUndefined();

    const started = Date.now();
    await expect(runner.waitForPosition('fleet', 50, 150)).rejects.toBeInstanceOf(PositionWaitTimeoutError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    await expect(runner.waitForPosition('apps', 1, 10)).rejects.toThrow(/does not read context/);
    await expect(runner.waitForPosition('fleet', -1, 10)).rejects.toThrow(/non-negative integer/);

    const orphan = runner.waitForPosition('fleet', 50, WAIT_MS);
    await runner.stop();
    await expect(orphan).rejects.toBeInstanceOf(ProjectionStoppedError);
    expect((await runner.status())[0]!.state).toBe('stopped');
  });

  it('stops in failed on a handler error, keeps the checkpoint, and resumes after fix + start', async () => {
    const t = await setup();
    await t.append('d1', enrolled('registered'));
    const bad = await t.append('d2', enrolled('quarantined'));
    await t.append('d3', enrolled('registered'));
    t.probe.failWhen = (event) => {
      const e = domainEventOf(event);
      return e.type === 'DeviceEnrolled' && e.data.phase === 'quarantined';
    };
    const registry = new Registry();
    const store = await t.openKv();
    const runner = t.newRunner(store, { registry });
    await runner.start();
    await expect(runner.waitForPosition('fleet', 3, WAIT_MS)).rejects.toBeInstanceOf(ProjectionFailedError);

    const [status] = await runner.status();
    expect(status).toMatchObject({
      state: 'failed',
      checkpoint: bad - 1,
      head: 3,
      lagEvents: 2,
      lastError: { context: 'fleet', position: bad, message: expect.stringContaining('cannot project') },
    });
    await expect(store.getCheckpoint('fleet')).resolves.toBe(bad - 1);
    expect(t.probe.handled.map((e) => e.position)).toEqual([1, bad]); // nothing after the failing commit
    expect(t.logs.filter((l) => l.level === 'error')).toEqual([
      expect.objectContaining({ obj: expect.objectContaining({ position: bad, checkpoint: bad - 1 }) }),
    ]);
    const metrics = await registry.metrics();
    expect(metrics).toContain(`wasmbed_projection_errors_total{projection="${t.projection.name}"} 1`);
    await expect(runner.waitForPosition('fleet', 3, 10)).rejects.toBeInstanceOf(ProjectionFailedError);

    // Lag keeps growing while failed.
    await t.append('d4', enrolled('registered'));
    await waitFor(async () => (await runner.status())[0]!.lagEvents === 3);
    expect(await registry.metrics()).toContain(`wasmbed_projection_lag_events{projection="${t.projection.name}",context="fleet"} 3`);

    t.probe.failWhen = undefined; // the fix
    await runner.start();
    await runner.waitForPosition('fleet', 4, WAIT_MS);
    expect(await countsOf(store)).toEqual({ registered: 3, quarantined: 1 });
    expect((await runner.status())[0]).toMatchObject({ state: 'live', checkpoint: 4, lagEvents: 0 });
    expect((await runner.status())[0]).not.toHaveProperty('lastError');
  });

  it('fails on an event type it cannot decode and never skips it', async () => {
    const t = await setup();
    const richer = createEventTypeRegistry({
      DeviceEnrolled: { version: 1 },
      DevicePhaseChanged: { version: 1 },
      DeviceNoteAdded: { version: 1 },
      DeviceRetired: { version: 1 },
    });
    const newerWriter = await t.openStore(richer);
    await t.append('d1', enrolled('registered'));
    await appendCommit(newerWriter, t.aggregateType, 'd1', [{ type: 'DeviceRetired', data: {} }]);
    await t.append('d2', enrolled('registered'));
    const store = await t.openKv();
    const runner = t.newRunner(store);
    await runner.start();
    await waitFor(async () => (await runner.status())[0]!.state === 'failed');
    const [status] = await runner.status();
    expect(status).toMatchObject({ checkpoint: 1, lastError: { name: UnknownEventTypeError.name, code: 'internal', context: 'fleet' } });
    await expect(store.getCheckpoint('fleet')).resolves.toBe(1);
    expect(t.probe.handled.map((e) => e.position)).toEqual([1]);

    // Recovery: this process learns the type (a deploy), then the projection restarts.
    const upgraded = t.newRunner(store, { eventStore: newerWriter });
    await upgraded.start();
    await upgraded.waitForPosition('fleet', 3, WAIT_MS);
    expect(await countsOf(store)).toEqual({ registered: 2 });
  });

  it('exposes checkpoint, lag and event metrics, and lag percentiles', async () => {
    const t = await setup();
    const registry = new Registry();
    const runner = t.newRunner(new MemoryDocumentStore(), { registry });
    await runner.start();
    let head = 0;
    for (let i = 1; i <= 4; i += 1) head = await t.append(`d${i}`, enrolled('registered'));
    await runner.waitForPosition('fleet', head, WAIT_MS);
    const text = await registry.metrics();
    const name = t.projection.name;
    expect(text).toContain(`wasmbed_projection_checkpoint{projection="${name}",context="fleet"} ${head}`);
    expect(text).toContain(`wasmbed_projection_lag_events{projection="${name}",context="fleet"} 0`);
    expect(text).toContain(`wasmbed_projection_events_total{projection="${name}"} 4`);
    expect(text).toContain(`wasmbed_projection_lag_seconds_count{projection="${name}"} 4`);
    expect(text).toContain(`wasmbed_projection_lag_seconds_bucket{le="+Inf",projection="${name}"} 4`);
    const lag = runner.lagPercentiles();
    expect(lag.count).toBe(4);
    expect(lag.p50).toBeGreaterThanOrEqual(0);
    expect(lag.p99).toBeLessThan(5); // seconds: a live projection applies within moments
    runner.resetLagPercentiles();
    expect(runner.lagPercentiles()).toEqual({ count: 0 });
  });

  it('rebuilds a memory read model from zero on every start', async () => {
    const t = await setup();
    await t.append('d1', enrolled('registered'));
    const head = await t.append('d2', enrolled('connected'));
    for (let run = 0; run < 2; run += 1) {
      const store = new MemoryDocumentStore();
      const runner = t.newRunner(store);
      await runner.start();
      await runner.waitForPosition('fleet', head, WAIT_MS);
      await runner.stop();
      expect(await countsOf(store)).toEqual({ registered: 1, connected: 1 });
    }
    expect(t.probe.handled).toHaveLength(4);
  });

  it('reads several contexts with one checkpoint each', async () => {
    const t = await setup();
    const appsType = `app${seq}`;
    const twoContexts = await JetStreamEventStore.create({
      connection: nc,
      contexts: [
        { name: 'fleet', aggregateTypes: [t.aggregateType] },
        { name: 'apps', aggregateTypes: [appsType] },
      ],
      registry: phaseRegistry,
      streamNamePrefix: `RMT${seq}`,
    });
    await twoContexts.ensureStreams();
    cleanups.push(() => twoContexts.close());
    const probe: DevicePhasesProbe = { handled: [] };
    const projection = devicePhasesProjection(`both_${seq}`, ['fleet', 'apps'], probe);
    const store = new MemoryDocumentStore();
    const runner = t.newRunner(store, { eventStore: twoContexts, projection });
    await runner.start();
    const fleetPos = await appendCommit(twoContexts, t.aggregateType, 'd1', [enrolled('registered')]);
    const appsPos = await appendCommit(twoContexts, appsType, 'a1', [enrolled('deployed')]);
    await Promise.all([runner.waitForPosition('fleet', fleetPos, WAIT_MS), runner.waitForPosition('apps', appsPos, WAIT_MS)]);
    expect(await countsOf(store)).toEqual({ registered: 1, deployed: 1 });
    // Same position 1 in both logs: the marks keep them apart.
    await expect(store.get('phase_counts', 'all')).resolves.toMatchObject({
      applied: { fleet: { position: 1, index: 0 }, apps: { position: 1, index: 0 } },
    });
    expect((await runner.status()).map((s) => [s.context, s.checkpoint, s.state])).toEqual([
      ['fleet', 1, 'live'],
      ['apps', 1, 'live'],
    ]);
  });
});

async function waitFor(condition: () => Promise<boolean>, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
