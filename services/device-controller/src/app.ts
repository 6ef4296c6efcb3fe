import { connect, type NatsConnection } from '@nats-io/transport-node';
import { LIVENESS_STREAM, LivenessStore } from '@wasmbed/device-bus';
import { createJsonLogger, ensureStreamReplicas, openDomainEventStore, Teardown, trackNatsConnection, type Logger } from '@wasmbed/service-kit';
import { unreachableAfterMs, type DeviceControllerConfig } from './config';
import { ActionExecutor } from './executor';
import { FleetView } from './fleet-view';
import { createControllerHttpServer } from './http-server';
import { LivenessView } from './liveness-view';
import { ControllerMetrics, deviceCounts, gatewayCounts } from './metrics';
import { MoveLedger } from './move-ledger';
import { MoveSender } from './move-sender';
import { Reconciler } from './reconciler';

export interface StartDeviceControllerOptions {
  readonly logger?: Logger;
  /** Default metrics of the Node process (default true). */
  readonly processMetrics?: boolean;
  /** Epoch ms (default Date.now). */
  readonly clock?: () => number;
}

export interface RunningDeviceController {
  readonly httpPort: number;
  /** Graceful: finish the pass in progress, stop following, close HTTP, drain NATS. */
  stop(): Promise<void>;
}

const DRAIN_TIMEOUT_MS = 5_000;

/** Starts the whole device-controller in this process. */
export async function startDeviceController(config: DeviceControllerConfig, options: StartDeviceControllerOptions = {}): Promise<RunningDeviceController> {
  const logger = options.logger ?? createJsonLogger('device-controller', config.logLevel);
  const clock = options.clock ?? Date.now;
  // Undone in reverse order on stop, or when startup fails half-way.
  const teardown = new Teardown(logger);
  try {
    const nc: NatsConnection = await connect({ servers: config.natsUrl, name: 'wasmbed-device-controller', noAsyncTraces: true, maxReconnectAttempts: -1 });
    teardown.add(async () => {
      // drain() waits for a server that may be gone; close() ends reconnecting for good.
      await Promise.race([nc.drain().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, DRAIN_TIMEOUT_MS).unref())]);
      if (!nc.isClosed()) await nc.close();
    });
    const natsUp = trackNatsConnection(nc);

    const replicas = config.jetStreamReplicas ?? 1;
    const store = await openDomainEventStore(nc, { replicas, logger });
    teardown.add(() => store.close());
    const fleet = await FleetView.start(store, logger);
    teardown.add(() => fleet.stop());
    const livenessStore = await LivenessStore.open(nc, { replicas });
    await ensureStreamReplicas(nc, [LIVENESS_STREAM], replicas, logger);
    const liveness = await LivenessView.start(livenessStore, logger, clock);
    teardown.add(() => liveness.stop());
    void (async () => {
      // Liveness updates published while disconnected may be lost to the watch: judge silence afresh.
      for await (const status of nc.status()) if (status.type === 'reconnect') liveness.restartObservation();
    })();

    const metrics = new ControllerMetrics({ defaultMetrics: options.processMetrics ?? true });
    const executor = new ActionExecutor({ store, logger, clock, onOutcome: (action, outcome) => metrics.actions.inc({ action: action.kind, outcome }) });
    const ledger = new MoveLedger();
    const mover = new MoveSender({ nc, ledger, logger, clock, onOutcome: (_move, outcome) => metrics.actions.inc({ action: 'move_device', outcome }) });
    const policy = { enrollmentTtlMs: config.enrollmentTtlMs, autoApproveBoards: new Set(config.autoApproveBoards) };
    const movePolicy = { retryMs: config.moveRetryMs, maxPerPass: config.movesPerPass };
    const threshold = unreachableAfterMs(config);
    const reconciler = new Reconciler({
      fleet,
      liveness,
      executor,
      mover,
      ledger,
      movePolicy,
      metrics,
      logger,
      clock,
      reconcileMs: config.reconcileMs,
      unreachableAfterMs: threshold,
      policy,
      natsUp,
    });
    reconciler.start();
    teardown.add(() => reconciler.stop());

    const readiness = () => {
      const checks = {
        nats: natsUp() ? 'connected' : 'disconnected',
        fleetLog: !fleet.following ? 'stopped' : fleet.caughtUp ? 'caught_up' : 'replaying',
        liveness: liveness.watching ? 'watching' : 'stopped',
      };
      return { ready: checks.nats === 'connected' && checks.fleetLog === 'caught_up' && checks.liveness === 'watching', checks };
    };
    const http = createControllerHttpServer({
      metrics: metrics.registry,
      logger,
      readiness,
      status: () => ({
        ...readiness(),
        fleetLogPosition: fleet.state.position,
        unreachableAfterMs: threshold,
        observingSince: new Date(liveness.observingSince).toISOString(),
        lastPass: reconciler.last,
        devices: deviceCounts(fleet.state),
        gateways: gatewayCounts(fleet.state),
        misplaced: reconciler.misplaced,
        drains: reconciler.drains,
      }),
    });
    const httpPort = await http.listen(config.http.host, config.http.port);
    teardown.add(() => http.close());

    logger.info('device-controller started', { httpPort, unreachableAfterMs: threshold, enrollmentTtlMs: config.enrollmentTtlMs, autoApproveBoards: config.autoApproveBoards });
    return { httpPort, stop: () => teardown.run() };
  } catch (err) {
    await teardown.run();
    throw err;
  }
}
