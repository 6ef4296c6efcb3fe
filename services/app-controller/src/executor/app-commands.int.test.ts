/** AppCommands against a real JetStream log: device outcomes coalesced into few commits. */
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { applicationDecider, deviceDeployment, InvalidCommand, type ApplicationCommand } from '@wasmbed/domain';
import { handleCommand, type EventStore } from '@wasmbed/event-log';
import { openDomainEventStore } from '@wasmbed/service-kit';
import { withNats } from '@wasmbed/testing';
import { specInput, T0 } from '../test-support/views';
import { AppCommands, type AppCommandResult } from './app-commands';

const nats = withNats();
let nc: NatsConnection;
let store: EventStore;


const devices = (n: number) => Array.from({ length: n }, (_, i) => `d${String(i).padStart(4, '0')}`);

/** An application deploying revision 1 to `targets` in a single wave. */
async function deployed(appId: string, targets: string[]): Promise<void> {
  const spec = specInput({ targets: { selector: { env: 'lab' } }, strategy: { canary: 0, batchSize: { percent: 100 }, healthGateSeconds: 0, failureThreshold: 0 } });
  const run = (id: string, command: Omit<ApplicationCommand, 'metadata'>) =>
    handleCommand({
      store,
      decider: applicationDecider,
      stream: { aggregateType: 'application', aggregateId: appId },
      command: { ...command, metadata: { now: new Date(T0).toISOString(), actor: 'test' } } as ApplicationCommand,
      metadata: { commandId: `test/${appId}/${id}`, correlationId: id, actor: 'test', now: new Date(T0) },
    });
  await run('create', { type: 'CreateApplication', data: { applicationId: appId, spec } });
  await run('deploy', { type: 'DeployApplication', data: { applicationId: appId, targets } });
}

function startAll(commands: AppCommands, appId: string, names: string[], plannedAt = 3): Promise<AppCommandResult>[] {
  return names.map((device) =>
    commands.run(appId, `RecordDeviceDeploymentStarted/r1/${device}`, plannedAt, T0 + 1000, {
      type: 'RecordDeviceDeploymentStarted',
      data: { applicationId: appId, device, revision: 1 },
    }),
  );
}

async function commitsOf(appId: string): Promise<{ commits: number; types: string[]; version: number }> {
  const read = await store.readStream({ aggregateType: 'application', aggregateId: appId });
  return { commits: new Set(read.events.map((e) => e.position)).size, types: read.events.map((e) => e.type), version: read.streamVersion };
}

describe('AppCommands', () => {
  beforeAll(async () => {
    nc = await connect({ servers: nats().url });
    store = await openDomainEventStore(nc);
  });
  afterAll(async () => nc?.drain());

  it('records the outcomes waiting together in bounded batches, each caller told about its own device', async () => {
    const names = devices(600);
    await deployed('wave', names);
    const before = await commitsOf('wave');
    const results = await Promise.all(startAll(new AppCommands(store, 'app-controller'), 'wave', names));
    expect(results.every((r) => r.recorded && deviceDeployment(r.state, names[0])?.status === 'Deploying')).toBe(true);
    const after = await commitsOf('wave');
    // 600 outcomes: one commit of 500, one of 100.
    expect(after.commits - before.commits).toBe(2);
    expect(after.types.slice(before.types.length)).toEqual(names.map(() => 'DeviceDeploymentStarted'));
    expect(Math.max(...results.map((r) => r.version))).toBe(after.version);
  });

  it('answers a repeated outcome as not recorded, and writes nothing', async () => {
    const names = devices(20);
    await deployed('repeat', names);
    const commands = new AppCommands(store, 'app-controller');
    await Promise.all(startAll(commands, 'repeat', names));
    const before = await commitsOf('repeat');
    const again = await Promise.all(startAll(commands, 'repeat', names, 4));
    expect(again.map((r) => r.recorded)).toEqual(names.map(() => false));
    expect(await commitsOf('repeat')).toEqual(before);
  });

  it('recognises the same batch run again (a restarted controller) by its command id', async () => {
    const names = devices(30);
    await deployed('retried', names);
    await Promise.all(startAll(new AppCommands(store, 'app-controller'), 'retried', names));
    const before = await commitsOf('retried');
    // A fresh instance holds no known state: handleCommand reads the stream and finds the batch's events.
    const again = await Promise.all(startAll(new AppCommands(store, 'app-controller'), 'retried', names));
    expect(again.every((r) => r.recorded)).toBe(true);
    expect(await commitsOf('retried')).toEqual(before);
  });

  it('refuses only the outcome the domain refuses; the others are recorded', async () => {
    const names = devices(10);
    await deployed('refusal', names);
    const runs = startAll(new AppCommands(store, 'app-controller'), 'refusal', [...names.slice(0, 5), 'stranger', ...names.slice(5)]);
    const settled = await Promise.allSettled(runs);
    const refused = settled[5];
    expect(refused.status).toBe('rejected');
    expect(refused.status === 'rejected' && refused.reason).toBeInstanceOf(InvalidCommand);
    expect(settled.filter((s, i) => i !== 5).every((s) => s.status === 'fulfilled' && s.value.recorded)).toBe(true);
    expect((await commitsOf('refusal')).types.filter((t) => t === 'DeviceDeploymentStarted')).toHaveLength(10);
  });

  it('keeps other commands in order with the outcomes around them', async () => {
    const names = devices(4);
    await deployed('ordered', names);
    const commands = new AppCommands(store, 'app-controller');
    const first = startAll(commands, 'ordered', names.slice(0, 2));
    const pause = commands.run('ordered', 'PauseRollout', 3, T0 + 2000, { type: 'PauseRollout', data: { applicationId: 'ordered' } });
    const later = startAll(commands, 'ordered', names.slice(2));
    await Promise.all([...first, pause, ...later]);
    expect((await commitsOf('ordered')).types.slice(-5)).toEqual([
      'DeviceDeploymentStarted',
      'DeviceDeploymentStarted',
      'RolloutPaused',
      'DeviceDeploymentStarted',
      'DeviceDeploymentStarted',
    ]);
  });
});
