import { connect, type NatsConnection } from '@nats-io/transport-node';
import { LIVENESS_STREAM, LivenessStore } from '@wasmbed/device-bus';
import type { ApplicationEvent } from '@wasmbed/domain';
import type { RecordedEvent } from '@wasmbed/event-log';
import { createJsonLogger, ensureStreamReplicas, openDomainEventStore, Teardown, trackNatsConnection, type Logger } from '@wasmbed/service-kit';
import type { AppControllerConfig } from './config';
import { AppCommands } from './executor/app-commands';
import { Executor } from './executor/executor';
import { createProbeServer } from './http-server';
import { ControllerMetrics } from './metrics';
import { plan } from './planner/plan';
import { Reconciler } from './reconciler';
import { followDeviceStatus, followLiveness } from './view/device-feeds';
import { LogFollower } from './view/log-follower';
import { ViewStore, type FleetEvent } from './view/view-store';

export interface StartAppControllerOptions {
  readonly logger?: Logger;
  /** Milliseconds since the epoch (default Date.now). */
  readonly clock?: () => number;
  /** Default metrics of the Node process (default true). */
  readonly processMetrics?: boolean;
  /** How long stop() waits for device commands and domain commands under way (default 5 s). */
  readonly shutdownGraceMs?: number;
}

export interface RunningAppController {
  readonly httpPort: number;
  /** Stops planning, lets the actions under way finish (bounded), stops following, drains NATS. */
  stop(): Promise<void>;
}

const ACTOR = 'app-controller';
const ROLLOUT_EVENTS = new Set(['RolloutStarted', 'WaveCompleted', 'RolloutCompleted', 'RolloutFailed', 'RolloutRolledBack']);

/**
 * Starts the controller in this process. It resolves once the view is built
 * (liveness listed, both logs replayed) and the control loop runs; /readyz
 * answers 503 before that. One instance at a time is expected (see README).
 */
export async function startAppController(config: AppControllerConfig, options: StartAppControllerOptions = {}): Promise<RunningAppController> {
  const logger = options.logger ?? createJsonLogger('app-controller', config.logLevel);
  const clock = options.clock ?? Date.now;
  const teardown = new Teardown(logger);
  const view = new ViewStore();
  const metrics = new ControllerMetrics({ defaultMetrics: options.processMetrics ?? true, phases: () => phaseCounts(view) });
  const sources: { natsUp?: () => boolean; liveness?: { live: boolean }; fleet?: { live: boolean }; apps?: { live: boolean } } = {};
  const checks = () => ({
    nats: sources.natsUp?.() ? 'ok' : 'disconnected',
    liveness: sources.liveness?.live ? 'ok' : 'not_following',
    fleetLog: sources.fleet?.live ? 'ok' : 'not_following',
    appsLog: sources.apps?.live ? 'ok' : 'not_following',
  });

  try {
    const http = createProbeServer({ metrics: metrics.registry, checks, logger });
    const httpPort = await http.listen(config.http.host, config.http.port);
    teardown.add(() => http.close());

    const nc: NatsConnection = await connect({ servers: config.natsUrl, name: 'wasmbed-app-controller', noAsyncTraces: true, maxReconnectAttempts: -1 });
    teardown.add(async () => {
      await Promise.race([nc.drain().catch(() => undefined), sleep(5_000)]);
      if (!nc.isClosed()) await nc.close();
    });
    sources.natsUp = trackNatsConnection(nc);
    const replicas = config.jetStreamReplicas ?? 1;
    const store = await openDomainEventStore(nc, { replicas, logger });
    teardown.add(() => store.close());

    const reconciler = new Reconciler(
      () => {
        // A view missing a source (a log not followed, liveness not watched) could undo good work: wait for it.
        if (!Object.values(checks()).every((v) => v === 'ok')) return;
        const end = metrics.reconcileSeconds.startTimer();
        view.prune();
        const actions = plan(view, clock(), config.planner);
        end();
        executor.run(actions);
      },
      config.reconcileMs,
      (err) => logger.error('planning failed', { error: err }),
      PASS_GAP_MS,
    );
    const executor = new Executor({
      nc,
      commands: new AppCommands(store, ACTOR),
      view,
      metrics,
      logger,
      clock,
      commandTimeoutMs: config.commandTimeoutMs,
      settled: () => reconciler.request(),
    });

    // Devices first, so nothing they report while the logs replay is missed.
    const statusSub = followDeviceStatus(nc, (message) => view.applyStatus(message, clock()) && reconciler.request(), logger);
    teardown.add(() => statusSub.unsubscribe());
    const liveness = await LivenessStore.open(nc, { replicas });
    await ensureStreamReplicas(nc, [LIVENESS_STREAM], replicas, logger);
    const livenessFeed = await followLiveness(
      liveness,
      ({ deviceId, record }) => {
        view.applyLiveness(deviceId, record, clock());
        reconciler.request();
      },
      logger,
    );
    sources.liveness = livenessFeed;
    teardown.add(() => livenessFeed.stop());

    const fleet = await LogFollower.start<FleetEvent>({ store, context: 'fleet', logger, apply: (e) => view.applyFleetEvent(e), committed: () => reconciler.request() });
    sources.fleet = fleet;
    teardown.add(() => fleet.stop());
    const apps = await LogFollower.start<ApplicationEvent>({
      store,
      context: 'apps',
      logger,
      apply: (event, live) => {
        view.applyAppEvent(event);
        if (live) countLive(event, metrics, logger);
      },
      committed: () => reconciler.request(),
    });
    sources.apps = apps;
    teardown.add(() => apps.stop());

    reconciler.start();
    // Undone first: no new plans, then the actions under way may finish.
    teardown.add(() => executor.idle(options.shutdownGraceMs ?? 5_000));
    teardown.add(() => reconciler.stop());
    logger.info('app-controller started', { httpPort, applications: view.apps.size, devices: view.devices.size, connected: view.attested.size });
    return { httpPort, stop: () => teardown.run() };
  } catch (err) {
    await teardown.run();
    throw err;
  }
}

/** Least time between two planning passes (see Reconciler): small beside any device's answer, large beside a pass. */
const PASS_GAP_MS = 25;

function countLive(event: RecordedEvent<ApplicationEvent>, metrics: ControllerMetrics, logger: Logger): void {
  if (ROLLOUT_EVENTS.has(event.type)) {
    metrics.rolloutEvents.inc({ event: event.type });
    logger.info(event.type, { appId: event.stream.aggregateId, data: event.data });
  } else if (event.type === 'DeviceRunning') metrics.deviceOutcomes.inc({ outcome: 'running' });
  else if (event.type === 'DeviceDeploymentFailed') metrics.deviceOutcomes.inc({ outcome: 'failed' });
}

function phaseCounts(view: ViewStore): Map<string, number> {
  const counts = new Map<string, number>();
  for (const { app } of view.apps.values()) counts.set(app.phase, (counts.get(app.phase) ?? 0) + 1);
  return counts;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
