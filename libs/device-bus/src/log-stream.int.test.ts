import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { ValidationError } from '@wasmbed/errors';
import { withNats } from '@wasmbed/testing';
import {
  DEFAULT_DEVICE_LOG_RETENTION,
  DEVICE_LOG_STREAM,
  DeviceLogStoreUnavailable,
  deviceLogSubject,
  encodeDeviceLog,
  ensureDeviceLogStream,
  readDeviceLogs,
  type DeviceLogMessage,
  type DeviceLogQuery,
} from './index';

const nats = withNats();
let nc: NatsConnection;
let jsm: JetStreamManager;
let published = 0;

beforeAll(async () => {
  nc = await connect({ servers: nats().url, noAsyncTraces: true });
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  await nc?.close();
});

function line(deviceId: string, appId: string, message: string): DeviceLogMessage {
  return { deviceId, gatewayId: 'gw-1', sessionId: 's-1', at: new Date().toISOString(), appId, level: 'info', message, deviceTimeMs: 1_700_000_000_000 };
}

/** Publishes on core NATS as a gateway does, then waits until the stream stored everything. */
async function publish(...lines: DeviceLogMessage[]): Promise<void> {
  for (const l of lines) nc.publish(deviceLogSubject(l.deviceId), encodeDeviceLog(l));
  published += lines.length;
  await waitStored(published);
}

async function waitStored(count: number): Promise<void> {
  for (let i = 0; (await jsm.streams.info(DEVICE_LOG_STREAM)).state.messages < count; i += 1) {
    if (i > 200) throw new Error(`stream never held ${count} messages`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function read(query: Omit<DeviceLogQuery, 'follow'>): Promise<string[]> {
  const seen: string[] = [];
  await readDeviceLogs(nc, { ...query, follow: false }, async (l) => {
    seen.push(`${l.deviceId}/${l.appId}/${l.message}`);
  });
  return seen;
}

describe('device log stream', () => {
  it('answers unavailable before the stream exists', async () => {
    await expect(read({ tail: 1 })).rejects.toBeInstanceOf(DeviceLogStoreUnavailable);
  });

  it('is created with the retention limits, and brought to new ones', async () => {
    expect(await ensureDeviceLogStream(nc)).toBe('created');
    expect(await ensureDeviceLogStream(nc)).toBe('unchanged');
    const config = (await jsm.streams.info(DEVICE_LOG_STREAM)).config;
    expect(config).toMatchObject({ subjects: ['wasmbed.device.*.log'], max_bytes: 256 * 1024 * 1024, max_msg_size: 32 * 1024, max_age: 86_400 * 1e9 });

    expect(await ensureDeviceLogStream(nc, { ...DEFAULT_DEVICE_LOG_RETENTION, maxAgeMs: 3_600_000 })).toBe('updated');
    expect((await jsm.streams.info(DEVICE_LOG_STREAM)).config.max_age).toBe(3_600 * 1e9);
    await ensureDeviceLogStream(nc);
  });

  it('sends the newest lines oldest first, filtered by device and app', async () => {
    await publish(line('dev-a', 'app-1', 'a1'), line('dev-b', 'app-1', 'b1'), line('dev-a', 'app-2', 'a2'), line('dev-a', 'app-1', 'a3'), line('dev-b', 'app-2', 'b2'));
    expect(await read({ tail: 3 })).toEqual(['dev-a/app-2/a2', 'dev-a/app-1/a3', 'dev-b/app-2/b2']);
    expect(await read({ tail: 2, deviceId: 'dev-a' })).toEqual(['dev-a/app-2/a2', 'dev-a/app-1/a3']);
    expect(await read({ tail: 10, deviceId: 'dev-a', appId: 'app-1' })).toEqual(['dev-a/app-1/a1', 'dev-a/app-1/a3']);
    expect(await read({ tail: 10, appId: 'app-2' })).toEqual(['dev-a/app-2/a2', 'dev-b/app-2/b2']);
    expect(await read({ tail: 0 })).toEqual([]);
    expect(await read({ tail: 5, deviceId: 'dev-zzz' })).toEqual([]);
  });

  it('finds sparse lines far behind the head', async () => {
    await publish(line('dev-rare', 'app-1', 'rare-1'), line('dev-rare', 'app-9', 'rare-2'));
    await publish(...Array.from({ length: 700 }, (_, i) => line('dev-chatty', 'app-1', `c${i}`)));
    expect(await read({ tail: 5, deviceId: 'dev-rare' })).toEqual(['dev-rare/app-1/rare-1', 'dev-rare/app-9/rare-2']);
    expect(await read({ tail: 1, appId: 'app-9' })).toEqual(['dev-rare/app-9/rare-2']);
    expect(await read({ tail: 2 })).toEqual(['dev-chatty/app-1/c698', 'dev-chatty/app-1/c699']);
  });

  it('skips and reports messages that are no log line of their device', async () => {
    nc.publish(deviceLogSubject('dev-odd'), new TextEncoder().encode('not json'));
    nc.publish(deviceLogSubject('dev-odd'), encodeDeviceLog(line('dev-other', 'app-1', 'misrouted')));
    published += 2;
    await publish(line('dev-odd', 'app-1', 'fine'));
    const invalid: number[] = [];
    const seen: string[] = [];
    await readDeviceLogs(nc, { tail: 10, deviceId: 'dev-odd', follow: false, onInvalid: (_err, seq) => invalid.push(seq) }, async (l) => {
      seen.push(l.message);
    });
    expect(seen).toEqual(['fine']);
    expect(invalid).toHaveLength(2);
  });

  it('follows: the tail, then new lines in order without a gap, until aborted', async () => {
    await publish(line('dev-f', 'app-1', 'old-1'), line('dev-f', 'app-1', 'old-2'));
    const controller = new AbortController();
    const seen: string[] = [];
    const waiting = new Map<number, () => void>();
    const count = (n: number) => new Promise<void>((resolve) => waiting.set(n, resolve));
    const tailSent = count(1);
    const four = count(4);
    const following = readDeviceLogs(nc, { tail: 1, deviceId: 'dev-f', follow: true, signal: controller.signal }, async (l) => {
      seen.push(l.message);
      waiting.get(seen.length)?.();
    });
    // Lines stored from here on are past the head the reader started from.
    await tailSent;
    await publish(line('dev-f', 'app-1', 'new-1'), line('dev-g', 'app-1', 'elsewhere'), line('dev-f', 'app-1', 'new-2'));
    await publish(line('dev-f', 'app-1', 'new-3'));
    await four;
    controller.abort();
    await following;
    expect(seen).toEqual(['old-2', 'new-1', 'new-2', 'new-3']);
  });

  it('refuses a negative tail', async () => {
    await expect(read({ tail: -1 })).rejects.toThrow('tail must be an integer >= 0');
  });
});

describe('device log stream replicas', () => {
  const own = withNats();

  it('creates the stream with the replicas asked for, and keeps them when the retention changes', async () => {
    const conn = await connect({ servers: own().url, noAsyncTraces: true });
    try {
      const manager = await jetstreamManager(conn);
      const refused = await ensureDeviceLogStream(conn, DEFAULT_DEVICE_LOG_RETENTION, { replicas: 3 }).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(DeviceLogStoreUnavailable);
      expect(String((refused as Error).cause)).toMatch(/replicas > 1 not supported in non-clustered mode/);
      expect(await ensureDeviceLogStream(conn, DEFAULT_DEVICE_LOG_RETENTION, { replicas: 1 })).toBe('created');
      expect((await manager.streams.info(DEVICE_LOG_STREAM)).config.num_replicas).toBe(1);
      expect(await ensureDeviceLogStream(conn, { ...DEFAULT_DEVICE_LOG_RETENTION, maxBytes: 1024 * 1024 }, { replicas: 1 })).toBe('updated');
      expect((await manager.streams.info(DEVICE_LOG_STREAM)).config.num_replicas).toBe(1);
      await expect(ensureDeviceLogStream(conn, DEFAULT_DEVICE_LOG_RETENTION, { replicas: 6 })).rejects.toBeInstanceOf(ValidationError);
    } finally {
      await conn.close();
    }
  });
});
