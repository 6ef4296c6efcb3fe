import { existsSync } from 'node:fs';
import { connect as tcpConnect } from 'node:net';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { freePort, NatsServerNotFoundError, startNatsServer, withNats, type NatsTestServer } from './index';

function portAccepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tcpConnect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

async function publishAndCount(server: NatsTestServer, publish: boolean): Promise<number> {
  const nc = await connect({ servers: server.url });
  try {
    const jsm = await jetstreamManager(nc);
    if (publish) {
      await jsm.streams.add({ name: 'PROBE', subjects: ['probe.>'], storage: 'file' });
      const ack = await jetstream(nc).publish('probe.one', 'hello');
      expect(ack.seq).toBe(1);
    }
    return (await jsm.streams.info('PROBE')).state.messages;
  } finally {
    await nc.close();
  }
}

describe('startNatsServer', () => {
  it('starts a JetStream server, survives a restart with its data, and stops cleanly', async () => {
    const server = await startNatsServer();
    try {
      expect(server.url).toBe(`nats://127.0.0.1:${server.port}`);
      expect(server.running).toBe(true);
      expect(existsSync(server.storeDir)).toBe(true);
      expect(await publishAndCount(server, true)).toBe(1);

      await server.restart();
      expect(server.running).toBe(true);
      expect(await publishAndCount(server, false)).toBe(1);
    } finally {
      await server.stop();
    }
    expect(server.running).toBe(false);
    expect(await portAccepts(server.port)).toBe(false);
    expect(existsSync(server.storeDir)).toBe(false);
    await expect(server.restart()).rejects.toThrow(/store was deleted/);
    await server.stop(); // idempotent
  });

  it('runs parallel servers on distinct ports and store dirs', async () => {
    const [a, b] = await Promise.all([startNatsServer(), startNatsServer()]);
    try {
      expect(a.port).not.toBe(b.port);
      expect(a.storeDir).not.toBe(b.storeDir);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('explains how to install a missing binary', async () => {
    const err = await startNatsServer({ binary: '/nonexistent/nats-server' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NatsServerNotFoundError);
    expect((err as NatsServerNotFoundError).code).toBe('failed_precondition');
    expect((err as Error).message).toMatch(/apt-get install nats-server/);
    expect((err as Error).message).toMatch(/WASMBED_NATS_SERVER_BIN/);
  });

  it('honours WASMBED_NATS_SERVER_BIN', async () => {
    const previous = process.env.WASMBED_NATS_SERVER_BIN;
    process.env.WASMBED_NATS_SERVER_BIN = '/nonexistent/from-env';
    try {
      await expect(startNatsServer()).rejects.toThrow(/from-env/);
    } finally {
      if (previous === undefined) delete process.env.WASMBED_NATS_SERVER_BIN;
      else process.env.WASMBED_NATS_SERVER_BIN = previous;
    }
  });
});

describe('freePort', () => {
  it('returns a bindable port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(0);
    expect(await portAccepts(port)).toBe(false);
  });
});

describe('withNats', () => {
  const nats = withNats();

  it('provides a running server to the tests of the file', async () => {
    expect(nats().running).toBe(true);
    expect(await portAccepts(nats().port)).toBe(true);
  });
});
