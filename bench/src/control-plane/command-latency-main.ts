/**
 * Command → read-model-visible latency: UpdateDeviceLabels through the api (gRPC,
 * auth, decide, append to JetStream with optimistic concurrency, projection) until a
 * WatchDevices stream opened beforehand shows the new labels. Baseline in the same
 * run: a raw JetStream publish until an ordered consumer on that subject receives it.
 *
 *   npm run bench:command-latency -- [--commands 2000]
 */
import { parseArgs } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { createClient } from '@wasmbed/grpc-kit';
import { DeviceServiceClient, type DeviceChange } from '@wasmbed/proto';
import { ProcessOutput, call, freePort, startNatsServer, startServiceProcess } from '@wasmbed/testing';
import { summarize } from '../stats';
import { formatTable, p50p99 } from '../support/report';
import { API_MAIN, apiEnv, benchToken, profilingArgs } from './bench-stack';

function commandCount(argv: string[]): number {
  const { values } = parseArgs({ args: argv, options: { commands: { type: 'string' } }, strict: true });
  const n = Number(values.commands ?? 2000);
  if (!Number.isInteger(n) || n < 10) throw new Error('--commands must be an integer ≥ 10');
  return n;
}

async function rawJetStream(url: string, count: number): Promise<number[]> {
  const nc = await connect({ servers: url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'BENCH_RAW', subjects: ['bench.raw.>'] });
  const js = jetstream(nc);
  const consumer = await js.consumers.get('BENCH_RAW');
  const messages = await consumer.consume();
  const waiting = new Map<number, () => void>();
  void (async () => {
    for await (const m of messages) waiting.get(Number(m.string()))?.();
  })();
  const samples: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const t0 = performance.now();
    const seen = new Promise<void>((r) => waiting.set(i, r));
    await js.publish('bench.raw.device-1', String(i));
    await seen;
    samples.push(performance.now() - t0);
    waiting.delete(i);
  }
  messages.stop();
  await nc.close();
  return samples;
}

async function throughApi(grpcAddr: string, token: string, count: number): Promise<{ visible: number[]; reply: number[] }> {
  const devices = createClient(DeviceServiceClient, grpcAddr, { token });
  await call((done) =>
    devices.registerDevice({ commandId: 'bench-register-lat-1', expectedVersion: 0, name: 'lat-1', publicKey: Buffer.alloc(32, 7), board: 'bench', architecture: 'bench', labels: {}, preferredGateway: '' }, done),
  );
  const waiting = new Map<string, () => void>();
  const watch = devices.watchDevices({ labelSelector: '', phase: 0 });
  watch.on('data', (change: DeviceChange) => {
    const seq = change.device?.labels.seq;
    if (seq !== undefined) waiting.get(seq)?.();
  });
  watch.on('error', () => undefined);
  const visible: number[] = [];
  const reply: number[] = [];
  for (let i = 0; i < count; i += 1) {
    const seq = String(i);
    const t0 = performance.now();
    const seen = new Promise<void>((r) => waiting.set(seq, r));
    await call((done) => devices.updateDeviceLabels({ commandId: '', expectedVersion: 0, name: 'lat-1', labels: { seq } }, done));
    reply.push(performance.now() - t0);
    await seen;
    visible.push(performance.now() - t0);
    waiting.delete(seq);
  }
  watch.cancel();
  devices.close();
  return { visible, reply };
}

async function main(): Promise<void> {
  const count = commandCount(process.argv.slice(2));
  const nats = await startNatsServer();
  const output = new ProcessOutput();
  const { token, tokens } = benchToken();
  const [grpc, http] = [await freePort(), await freePort()];
  const api = await startServiceProcess({ name: 'api', main: API_MAIN, port: grpc, nodeArgs: profilingArgs('api'), env: { WASMBED_NATS_URL: nats.url, WASMBED_LOG_LEVEL: 'warn', ...apiEnv(grpc, http, tokens) } }, output);
  try {
    const warm = Math.min(200, Math.floor(count / 10));
    await rawJetStream(nats.url, warm);
    const raw = summarize(await rawJetStream(nats.url, count));
    await throughApi(`127.0.0.1:${grpc}`, token, warm);
    const ours = await throughApi(`127.0.0.1:${grpc}`, token, count);
    const visible = summarize(ours.visible);
    const reply = summarize(ours.reply);
    console.log(`command latency: ${count} sequential commands after ${warm} warm-up, nats-server and api in their own processes\n`);
    console.log(
      formatTable(
        ['latency ms, p50 / p99', 'raw JetStream', 'api command'],
        [
          ['publish → visible to a subscriber', p50p99(raw), p50p99(visible)],
          ['command reply (read-your-writes)', '-', p50p99(reply)],
        ],
      ),
    );
    console.log(
      '\nraw: js.publish (PubAck) until an ordered consumer on the stream receives it.' +
        '\napi: UpdateDeviceLabels over gRPC (token auth, decide, append with expected version) until a WatchDevices stream' +
        '\nshows the labels; the reply itself waits until the api\'s own read model has the commit.',
    );
  } finally {
    await api.stop();
    await nats.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
