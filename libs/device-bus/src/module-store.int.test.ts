import { randomBytes } from 'node:crypto';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { withNats } from '@wasmbed/testing';
import { ValidationError } from '@wasmbed/errors';
import {
  MODULE_STORE_CHUNK_BYTES,
  MODULE_STREAM,
  ModuleIntegrityError,
  ModuleNotFound,
  ModuleStoreUnavailable,
  getModule,
  hasModule,
  openModuleStore,
  putModule,
  sha256Hex,
} from './index';
import { chunkSubject, metaSubject } from './object-store-format';

const nats = withNats();
let nc: NatsConnection;

beforeAll(async () => {
  nc = await connect({ servers: nats().url, noAsyncTraces: true });
});
afterAll(async () => {
  await nc?.close();
});

describe('module store', () => {
  it('stores a multi-chunk module under its sha256 and reads it back verified', async () => {
    const bytes = randomBytes(MODULE_STORE_CHUNK_BYTES * 2 + 17);
    const sha256 = await putModule(nc, bytes);
    expect(sha256).toBe(sha256Hex(bytes));
    expect(await hasModule(nc, sha256)).toBe(true);
    expect(Buffer.from(await getModule(nc, sha256)).equals(bytes)).toBe(true);
  });

  it('writes nothing when the same bytes are stored again', async () => {
    const bytes = randomBytes(1000);
    const jsm = await jetstreamManager(nc);
    await putModule(nc, bytes);
    const before = (await jsm.streams.info('OBJ_wasmbed_modules')).state.messages;
    await putModule(nc, bytes);
    expect((await jsm.streams.info('OBJ_wasmbed_modules')).state.messages).toBe(before);
  });

  it('is readable by a second connection (a gateway reading what the api stored)', async () => {
    const other = await connect({ servers: nats().url });
    try {
      const bytes = randomBytes(300);
      const sha256 = await putModule(nc, bytes);
      expect(Buffer.from(await getModule(other, sha256)).equals(bytes)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('reports an unknown module as not found', async () => {
    const missing = 'f'.repeat(64);
    expect(await hasModule(nc, missing)).toBe(false);
    await expect(getModule(nc, missing)).rejects.toBeInstanceOf(ModuleNotFound);
  });

  it('refuses bytes that do not hash to their key', async () => {
    // Metadata that claims the name of other bytes, as a tampering writer would leave it.
    const bytes = randomBytes(64);
    const claimed = sha256Hex(randomBytes(64));
    const stored = await putModule(nc, bytes);
    const jsm = await jetstreamManager(nc);
    const meta = await jsm.streams.getMessage('OBJ_wasmbed_modules', { last_by_subj: metaSubject('wasmbed_modules', stored) });
    const info = meta!.json<Record<string, unknown>>();
    await nc.request(metaSubject('wasmbed_modules', claimed), JSON.stringify({ ...info, name: claimed }));
    await expect(getModule(nc, claimed)).rejects.toBeInstanceOf(ModuleIntegrityError);
  });

  it('refuses a module whose chunks are missing', async () => {
    const bytes = randomBytes(100);
    const sha256 = await putModule(nc, bytes);
    const jsm = await jetstreamManager(nc);
    const meta = await jsm.streams.getMessage('OBJ_wasmbed_modules', { last_by_subj: metaSubject('wasmbed_modules', sha256) });
    const info = meta!.json<{ nuid: string }>();
    await jsm.streams.purge('OBJ_wasmbed_modules', { filter: chunkSubject('wasmbed_modules', info.nuid) });
    await expect(getModule(nc, sha256)).rejects.toThrow(/1 chunks expected, 0 stored/);
    // Storing the bytes again repairs it.
    await putModule(nc, bytes);
    expect(Buffer.from(await getModule(nc, sha256)).equals(bytes)).toBe(true);
  });

  it('refuses empty modules and malformed keys', async () => {
    await expect(putModule(nc, new Uint8Array(0))).rejects.toThrow(/empty/);
    await expect(getModule(nc, 'ABC')).rejects.toThrow(/64 lowercase hex/);
  });
});

describe('module store replicas', () => {
  const own = withNats();

  it('creates the bucket with the replicas asked for (a single server refuses more than one)', async () => {
    const conn = await connect({ servers: own().url, noAsyncTraces: true });
    try {
      const refused = await openModuleStore(conn, { replicas: 3 }).catch((err: unknown) => err);
      expect(refused).toBeInstanceOf(ModuleStoreUnavailable);
      expect(String((refused as Error).cause)).toMatch(/replicas > 1 not supported in non-clustered mode/);
      await openModuleStore(conn, { replicas: 1 });
      expect((await (await jetstreamManager(conn)).streams.info(MODULE_STREAM)).config.num_replicas).toBe(1);
      await expect(openModuleStore(conn, { replicas: 0 })).rejects.toBeInstanceOf(ValidationError);
    } finally {
      await conn.close();
    }
  });
});
