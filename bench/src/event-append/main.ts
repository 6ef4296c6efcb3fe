/**
 * bench/event-append: our EventStore.append (optimistic concurrency on every
 * append) against raw JetStream publish in the same run, sync and pipelined, plus
 * projection lag while appending. Usage: npm run bench:event-append -- [--events N]
 */
import { randomUUID } from 'node:crypto';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import {
  createEventTypeRegistry,
  JetStreamEventStore,
  StreamVersionConflict,
  type BoundedContext,
  type NewEvent,
} from '@wasmbed/event-log';
import { defineProjection, MemoryDocumentStore, ProjectionRunner } from '@wasmbed/read-models';
import { startNatsServer, type NatsTestServer } from '@wasmbed/testing';
import { pipelined, rate, summarize } from '../stats';
import { parseOptions, type EventAppendOptions } from './options';

const CONTEXT: BoundedContext = { name: 'bench', aggregateTypes: ['benchdevice'] };
const registry = createEventTypeRegistry({ DeviceHeartbeatChanged: { version: 1 } });

type BenchEvent = { type: 'DeviceHeartbeatChanged'; data: { deviceId: string; gatewayId: string; seq: number; freeMemory: number } };

function benchEvent(aggregate: number, seq: number): NewEvent<BenchEvent> {
  return {
    event: { type: 'DeviceHeartbeatChanged', data: { deviceId: `dev-${aggregate}`, gatewayId: 'gw-1', seq, freeMemory: 48_128 } },
    metadata: { eventId: randomUUID(), correlationId: randomUUID(), actor: 'bench', timestamp: new Date().toISOString() },
  };
}

interface Phase {
  name: string;
  events: number;
  ms: number;
}

/** One writer per aggregate, `window` writers in flight: appends never conflict unless the store is wrong. */
async function appendPhase(store: JetStreamEventStore, o: EventAppendOptions, events: number, window: number, base: number): Promise<{ ms: number; conflicts: number }> {
  const versions = new Array<number>(o.aggregates).fill(0);
  const perWorker = o.aggregates / window;
  let conflicts = 0;
  const start = performance.now();
  await pipelined(window, window, async (worker) => {
    for (let j = worker; j < events; j += window) {
      const aggregate = worker + window * (Math.floor(j / window) % perWorker);
      const stream = { aggregateType: 'benchdevice', aggregateId: `b${base}-${aggregate}` };
      try {
        const res = await store.append(stream, [benchEvent(aggregate, j)], { expectedVersion: versions[aggregate] as number });
        versions[aggregate] = res.nextExpectedVersion;
      } catch (err) {
        if (err instanceof StreamVersionConflict) conflicts++;
        else throw err;
      }
    }
  });
  return { ms: performance.now() - start, conflicts };
}

async function rawPhase(js: JetStreamClient, payload: Uint8Array, events: number, window: number, aggregates: number, tag: string): Promise<number> {
  const start = performance.now();
  await pipelined(events, window, async (i) => {
    await js.publish(`bench.raw.${tag}.${i % aggregates}`, payload);
  });
  return performance.now() - start;
}

async function main(): Promise<void> {
  const o = parseOptions(process.argv.slice(2), process.env);
  let server: NatsTestServer | undefined;
  if (!o.natsUrl) server = await startNatsServer();
  const nc: NatsConnection = await connect({ servers: o.natsUrl ?? server!.url, noAsyncTraces: o.noAsyncTraces });
  try {
    const jsm = await jetstreamManager(nc);
    const js = jetstream(nc);
    await jsm.streams.add({ name: 'BENCH_RAW', subjects: ['bench.raw.>'] });
    const store = await JetStreamEventStore.create({ connection: nc, contexts: [CONTEXT], registry, streamNamePrefix: 'BENCH_EVT' });
    await store.ensureStreams();

    // Same bytes on the wire for the baseline: size of one stored commit (body + headers).
    await store.append({ aggregateType: 'benchdevice', aggregateId: 'probe' }, [benchEvent(0, 0)], { expectedVersion: 'no_stream' });
    const probe = await jsm.streams.getMessage('BENCH_EVT_BENCH', { seq: 1 });
    if (probe === null) throw new Error('probe commit not found in BENCH_EVT_BENCH');
    const commitBytes = probe.data.length + (probe.header ? probe.header.toString().length : 0);
    const payload = new Uint8Array(commitBytes).fill(120);

    const phases: Phase[] = [];
    const push = (name: string, events: number, ms: number) => phases.push({ name, events, ms });

    console.log(`event-append: ${o.events} events pipelined (window ${o.window}), ${o.syncEvents} sync, ${o.aggregates} aggregates, commit ${commitBytes} B, async traces ${o.noAsyncTraces ? 'off' : 'on'}`);
    push('raw JetStream publish, sync', o.syncEvents, await rawPhase(js, payload, o.syncEvents, 1, o.aggregates, 's'));
    const oursSync = await appendPhase(store, o, o.syncEvents, 1, 1);
    push('EventStore.append, sync', o.syncEvents, oursSync.ms);
    push('raw JetStream publish, pipelined', o.events, await rawPhase(js, payload, o.events, o.window, o.aggregates, 'p'));

    const oursPipe = await appendPhase(store, o, o.events, o.window, 2);
    push('EventStore.append, pipelined', o.events, oursPipe.ms);

    // Projection follows the log while a second pipelined append runs (same process, same 2 cores).
    const lagMs: number[] = [];
    const runner = new ProjectionRunner({
      projection: defineProjection({
        name: 'bench_heartbeats',
        contexts: ['bench'],
        async handle(event, docs) {
          lagMs.push(Date.now() - Date.parse(event.metadata.timestamp));
          await docs.put('heartbeats', event.stream.aggregateId, { seq: (event.data as BenchEvent['data']).seq });
        },
      }),
      eventStore: store,
      store: new MemoryDocumentStore(),
      logger: { info() {}, warn() {}, error: (obj, msg) => console.error(msg, obj) },
    });
    await runner.start();
    await runner.waitForPosition('bench', await store.headPosition('bench'), 300_000);
    lagMs.splice(0); // replay of the earlier phases is not lag
    const withProjection = await appendPhase(store, o, o.events, o.window, 3);
    push('EventStore.append, pipelined + projection', o.events, withProjection.ms);
    await runner.waitForPosition('bench', await store.headPosition('bench'), 120_000);
    const saturatedLag = summarize(lagMs.splice(0));

    // Lag at a steady, realistic rate (the saturated figure above is queueing behind a flood).
    const pacedEvents = o.pacedRate * o.pacedSeconds;
    const pacedStart = performance.now();
    for (let i = 0; i < pacedEvents; i++) {
      const due = pacedStart + (i * 1000) / o.pacedRate;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      void store.append({ aggregateType: 'benchdevice', aggregateId: `paced-${i}` }, [benchEvent(i, i)], { expectedVersion: 'no_stream' });
    }
    await runner.waitForPosition('bench', await store.headPosition('bench'), 60_000);
    const pacedLag = summarize(lagMs.splice(0));
    await runner.stop();

    // Concurrency check: every stale append must be refused and write nothing.
    const staleStream = { aggregateType: 'benchdevice', aggregateId: 'b2-0' };
    const before = (await store.readStream(staleStream)).streamVersion;
    let refused = 0;
    for (let i = 0; i < 100; i++) {
      try {
        await store.append(staleStream, [benchEvent(0, i)], { expectedVersion: before - 1 });
      } catch (err) {
        if (err instanceof StreamVersionConflict) refused++;
      }
    }
    const after = (await store.readStream(staleStream)).streamVersion;

    console.log('');
    console.log('phase                               events      ms     events/s');
    for (const p of phases) {
      console.log(`${p.name.padEnd(34)} ${String(p.events).padStart(7)} ${p.ms.toFixed(0).padStart(7)} ${rate(p.events, p.ms).toFixed(0).padStart(11)}`);
    }
    const ratio = (a: string, b: string) => {
      const x = phases.find((p) => p.name === a)!;
      const y = phases.find((p) => p.name === b)!;
      return ((rate(x.events, x.ms) / rate(y.events, y.ms)) * 100).toFixed(1);
    };
    console.log('');
    console.log(`append vs raw, sync:       ${ratio('EventStore.append, sync', 'raw JetStream publish, sync')}% of raw`);
    console.log(`append vs raw, pipelined:  ${ratio('EventStore.append, pipelined', 'raw JetStream publish, pipelined')}% of raw (goal >= 80%)`);
    console.log(`version conflicts during the run: ${oursSync.conflicts + oursPipe.conflicts + withProjection.conflicts} (expected 0)`);
    console.log(`stale appends refused: ${refused}/100, stream version unchanged: ${before === after}`);
    const fmt = (s: ReturnType<typeof summarize>) => `p50 ${s.p50.toFixed(1)} ms, p99 ${s.p99.toFixed(1)} ms, max ${s.max.toFixed(1)} ms (n=${s.count})`;
    console.log(`projection lag, saturated (log grows as fast as the client can append): ${fmt(saturatedLag)}`);
    console.log(`projection lag, steady ${o.pacedRate} events/s for ${o.pacedSeconds} s: ${fmt(pacedLag)} (goal p99 < 50 ms)`);
    await store.close();
  } finally {
    await nc.close();
    await server?.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.stack ?? err.message : err);
  process.exit(1);
});
