import { withNats } from '@wasmbed/testing';
import { deterministicEventId } from './deterministic-event-id';
import { StreamVersionConflict } from './errors';
import { handleCommand, type CommandMetadata, type Decider } from './handle-command';
import { enrolled, newDevice, openStore, type DeviceEvent, type OpenStore } from './test-fixtures';
import type { EventStore, StreamRef } from './types';

const nats = withNats();

interface DeviceState {
  readonly enrolled: boolean;
  readonly name?: string;
  readonly renames: number;
}

type DeviceCommand = { kind: 'enroll'; name: string } | { kind: 'rename'; name: string } | { kind: 'noop' };

class AlreadyEnrolled extends Error {}

const decider: Decider<DeviceCommand, DeviceEvent, DeviceState> = {
  initialState: () => ({ enrolled: false, renames: 0 }),
  decide(command, state) {
    switch (command.kind) {
      case 'enroll':
        if (state.enrolled) throw new AlreadyEnrolled(`already enrolled as ${state.name}`);
        return [{ type: 'DeviceEnrolled', data: { name: command.name } }];
      case 'rename':
        return state.name === command.name ? [] : [{ type: 'DeviceRenamed', data: { name: command.name } }];
      case 'noop':
        return [];
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'DeviceEnrolled':
        return { ...state, enrolled: true, name: event.data.name };
      case 'DeviceRenamed':
        return { ...state, name: event.data.name, renames: state.renames + 1 };
      case 'DeviceRetired':
        return state;
    }
  },
};

let seq = 0;
const commandMeta = (overrides: Partial<CommandMetadata> = {}): CommandMetadata => ({
  commandId: `cmd-${Date.now()}-${++seq}`,
  correlationId: 'corr-h',
  actor: 'user:h',
  now: new Date('2025-03-04T05:06:07.000Z'),
  ...overrides,
});

describe('handleCommand on JetStream', () => {
  let opened: OpenStore;
  beforeAll(async () => {
    opened = await openStore(nats().url);
  });
  afterAll(async () => {
    await opened.close();
  });
  const run = (stream: StreamRef, command: DeviceCommand, metadata = commandMeta(), store: EventStore = opened.store) =>
    handleCommand({ store, decider, stream, command, metadata });

  it('loads, decides and appends with deterministic ids and command metadata', async () => {
    const stream = newDevice();
    const metadata = commandMeta();
    const result = await run(stream, { kind: 'enroll', name: 'alpha' }, metadata);
    expect(result.state).toEqual({ enrolled: true, name: 'alpha', renames: 0 });
    expect(result.events).toHaveLength(1);
    expect(result.events[0]).toMatchObject({
      type: 'DeviceEnrolled',
      data: { name: 'alpha' },
      metadata: {
        eventId: deterministicEventId(metadata.commandId, 0),
        correlationId: 'corr-h',
        causationId: metadata.commandId,
        actor: 'user:h',
        timestamp: '2025-03-04T05:06:07.000Z',
      },
    });
    expect(result.nextExpectedVersion).toBe(result.events[0].position);

    const renamed = await run(stream, { kind: 'rename', name: 'beta' }, commandMeta({ causationId: 'evt-upstream' }));
    expect(renamed.state).toEqual({ enrolled: true, name: 'beta', renames: 1 });
    expect(renamed.events[0].metadata.causationId).toBe('evt-upstream');
    expect((await opened.store.readStream(stream)).streamVersion).toBe(renamed.nextExpectedVersion);
  });

  it('appends nothing for an empty decision and returns the current version', async () => {
    const stream = newDevice();
    const first = await run(stream, { kind: 'enroll', name: 'a' });
    const noop = await run(stream, { kind: 'rename', name: 'a' });
    expect(noop).toEqual({ events: [], nextExpectedVersion: first.nextExpectedVersion, state: first.state });
    const empty = await run(newDevice(), { kind: 'noop' });
    expect(empty.nextExpectedVersion).toBe(0);
  });

  it('propagates decision errors unchanged and writes nothing', async () => {
    const stream = newDevice();
    const first = await run(stream, { kind: 'enroll', name: 'a' });
    await expect(run(stream, { kind: 'enroll', name: 'b' })).rejects.toBeInstanceOf(AlreadyEnrolled);
    expect((await opened.store.readStream(stream)).streamVersion).toBe(first.nextExpectedVersion);
  });

  it('does not apply the same command id twice (retry after a lost ack)', async () => {
    const stream = newDevice();
    await run(stream, { kind: 'enroll', name: 'a' });
    const metadata = commandMeta();
    const once = await run(stream, { kind: 'rename', name: 'b' }, metadata);
    await run(stream, { kind: 'rename', name: 'c' });
    const twice = await run(stream, { kind: 'rename', name: 'b' }, metadata);
    expect(twice.events.map((e) => e.metadata.eventId)).toEqual(once.events.map((e) => e.metadata.eventId));
    expect(twice.events[0].position).toBe(once.events[0].position);
    expect(twice.state.name).toBe('c');
    const { events } = await opened.store.readStream(stream);
    expect(events.map((e) => e.type)).toEqual(['DeviceEnrolled', 'DeviceRenamed', 'DeviceRenamed']);
  });

  it('retries concurrent commands on conflicts so that all of them apply', async () => {
    const stream = newDevice();
    await run(stream, { kind: 'enroll', name: 'start' });
    const names = Array.from({ length: 6 }, (_, i) => `n${i}`);
    const results = await Promise.all(
      names.map((name) => handleCommand({ store: opened.store, decider, stream, command: { kind: 'rename', name }, metadata: commandMeta(), maxRetries: 10 })),
    );
    const positions = results.map((r) => r.events[0].position);
    expect(new Set(positions).size).toBe(6);
    const { events } = await opened.store.readStream(stream);
    expect(events).toHaveLength(7);
    expect(Math.max(...results.map((r) => r.state.renames))).toBe(6);
  });

  it('gives up with the conflict after maxRetries', async () => {
    const stream = newDevice();
    await run(stream, { kind: 'enroll', name: 'start' });
    let decisions = 0;
    // Every decision races a real competing writer, so every append conflicts.
    const contested: Decider<DeviceCommand, DeviceEvent, DeviceState> = {
      ...decider,
      decide(command, state) {
        decisions++;
        pending.push(opened.store.append(stream, [enrolled(`rival-${decisions}`)], { expectedVersion: 'any' }));
        return decider.decide(command, state);
      },
    };
    const pending: Promise<unknown>[] = [];
    const attempt = handleCommand({ store: opened.store, decider: contested, stream, command: { kind: 'rename', name: 'x' }, metadata: commandMeta(), maxRetries: 2 });
    await expect(attempt).rejects.toBeInstanceOf(StreamVersionConflict);
    await Promise.all(pending);
    expect(decisions).toBe(3);
  });
});

/** The same store, counting its stream reads (everything else passes through). */
function countingReads(store: EventStore): { store: EventStore; reads: () => number } {
  let reads = 0;
  const counted: EventStore = {
    append: (stream, events, options) => store.append(stream, events, options),
    readStream: (stream) => {
      reads++;
      return store.readStream(stream);
    },
    readAll: (options) => store.readAll(options),
    subscribe: (options) => store.subscribe(options),
    headPosition: (context) => store.headPosition(context),
    close: () => store.close(),
  };
  return { store: counted, reads: () => reads };
}

describe('handleCommand with the caller’s known state', () => {
  let opened: OpenStore;
  beforeAll(async () => {
    opened = await openStore(nats().url);
  });
  afterAll(async () => {
    await opened.close();
  });
  const known = (state: DeviceState, streamVersion: number) => ({ state, streamVersion });
  const run = (stream: StreamRef, command: DeviceCommand, knownState: { state: DeviceState; streamVersion: number }) => {
    const counted = countingReads(opened.store);
    return handleCommand({ store: counted.store, decider, stream, command, metadata: commandMeta(), knownState }).then((result) => ({ result, reads: counted.reads() }));
  };

  it('decides on it and appends without reading the stream when it is current', async () => {
    const stream = newDevice();
    const fresh = await run(stream, { kind: 'enroll', name: 'a' }, known({ enrolled: false, renames: 0 }, 0));
    expect(fresh.reads).toBe(0);
    const renamed = await run(stream, { kind: 'rename', name: 'b' }, known(fresh.result.state, fresh.result.nextExpectedVersion));
    expect(renamed.reads).toBe(0);
    expect(renamed.result.state).toEqual({ enrolled: true, name: 'b', renames: 1 });
    const { events, streamVersion } = await opened.store.readStream(stream);
    expect(events.map((e) => e.type)).toEqual(['DeviceEnrolled', 'DeviceRenamed']);
    expect(streamVersion).toBe(renamed.result.nextExpectedVersion);
  });

  it('reads the stream and decides again when it is stale, whatever the retry budget', async () => {
    const stream = newDevice();
    const enrolledOnce = await run(stream, { kind: 'enroll', name: 'a' }, known({ enrolled: false, renames: 0 }, 0));
    await handleCommand({ store: opened.store, decider, stream, command: { kind: 'rename', name: 'b' }, metadata: commandMeta() });
    const stale = known(enrolledOnce.result.state, enrolledOnce.result.nextExpectedVersion);
    const counted = countingReads(opened.store);
    const result = await handleCommand({ store: counted.store, decider, stream, command: { kind: 'rename', name: 'c' }, metadata: commandMeta(), knownState: stale, maxRetries: 0 });
    expect(counted.reads()).toBe(1);
    expect(result.state).toEqual({ enrolled: true, name: 'c', renames: 2 });
    expect((await opened.store.readStream(stream)).events.map((e) => e.type)).toEqual(['DeviceEnrolled', 'DeviceRenamed', 'DeviceRenamed']);
  });

  it('lets the stream decide when the known state refuses the command or decides nothing', async () => {
    const stream = newDevice();
    const first = await run(stream, { kind: 'enroll', name: 'a' }, known({ enrolled: false, renames: 0 }, 0));
    // A stale "already enrolled" view must not refuse what the stream allows, nor a stale no-op hide a change.
    const refusing = await run(newDevice(), { kind: 'enroll', name: 'x' }, known({ enrolled: true, name: 'x', renames: 0 }, 5));
    expect(refusing.reads).toBe(1);
    expect(refusing.result.events.map((e) => e.type)).toEqual(['DeviceEnrolled']);
    const noop = await run(stream, { kind: 'rename', name: 'z' }, known({ enrolled: true, name: 'z', renames: 0 }, first.result.nextExpectedVersion));
    expect(noop.reads).toBe(1);
    expect(noop.result.state.name).toBe('z');
    // Refusals by the stream's own state still propagate unchanged.
    await expect(run(stream, { kind: 'enroll', name: 'b' }, known({ enrolled: false, renames: 0 }, 0))).rejects.toBeInstanceOf(AlreadyEnrolled);
  });

  it('refuses a known version that is not a stream version', async () => {
    await expect(run(newDevice(), { kind: 'noop' }, known({ enrolled: false, renames: 0 }, -1))).rejects.toThrow(/knownState.streamVersion/);
  });
});
