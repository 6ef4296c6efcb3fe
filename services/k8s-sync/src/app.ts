import { readFile } from 'node:fs/promises';
import { createJsonLogger, Teardown, type Logger } from '@wasmbed/service-kit';
import type { K8sSyncConfig } from './config';
import { CommandExecutor } from './executor';
import { FleetApi } from './fleet/api-client';
import { FleetCache } from './fleet/fleet-cache';
import { applicationSource, deviceSource, gatewaySource, type FleetSource } from './fleet/sources';
import { createSyncHttpServer } from './http-server';
import { loadKubernetesClient } from './kube/client-module';
import { ResourceInformer } from './kube/informer';
import { loadKubeConfig } from './kube/kube-config';
import { ObjectWriter } from './kube/object-writer';
import { startLeaderElection, type LeaderElection } from './leader';
import { SyncMetrics } from './metrics';
import { keyOf, Reconciler, type Bundles, type Key, type KindBundle } from './reconciler';
import { SYNC_KINDS, type SyncKind } from './resources';
import { applicationRules } from './rules/application-rules';
import { deviceRules } from './rules/device-rules';
import { gatewayRules } from './rules/gateway-rules';
import type { KindRules } from './rules/kind-rules';
import { StatusWriter } from './status';
import { WorkQueue } from './work-queue';

export interface StartK8sSyncOptions {
  readonly logger?: Logger;
  /** Default metrics of the Node process (default true). */
  readonly processMetrics?: boolean;
  /** Objects reconciled at once (default: config.workers). */
  readonly concurrency?: number;
}

export interface RunningK8sSync {
  readonly httpPort: number;
  isLeader(): boolean;
  /** Both sides listed and watched. */
  ready(): boolean;
  /** Writes the pending statuses now (tests, benchmarks). */
  flushStatus(): Promise<void>;
  /** Graceful: finish the reconciles under way, write pending statuses, release the lease, close watches. */
  stop(): Promise<void>;
}

/** Starts the whole k8s-sync in this process. */
export async function startK8sSync(config: K8sSyncConfig, options: StartK8sSyncOptions = {}): Promise<RunningK8sSync> {
  const logger = options.logger ?? createJsonLogger('k8s-sync', config.logLevel);
  const teardown = new Teardown(logger);
  try {
    const k8s = await loadKubernetesClient();
    const kc = await loadKubeConfig(config.kube);
    const customObjects = kc.makeApiClient(k8s.CustomObjectsApi);
    const watch = new k8s.Watch(kc);
    const caPem = config.api.caPath === undefined ? undefined : await readFile(config.api.caPath);
    const api = new FleetApi({ address: config.api.address, token: config.api.token, timeoutMs: config.api.timeoutMs, ...(caPem ? { caPem } : {}) });
    teardown.add(() => api.close());

    // The worker runs once the queue is started, after the reconciler below exists.
    const queue = new WorkQueue<Key>({
      worker: (key) => reconciler.reconcile(key),
      concurrency: options.concurrency ?? config.workers,
      // Applications and Gateways first: their status sums up many devices and must not starve behind them.
      lane: (key) => (key.startsWith('Device/') ? 1 : 0),
      onError: (key, err) => logger.error('reconcile crashed', { key, error: err }),
    });
    const metrics = new SyncMetrics({ processMetrics: options.processMetrics ?? true });
    const statusWriter = new StatusWriter({ customObjects, namespace: config.namespace, minIntervalMs: config.statusMinIntervalMs, maxInFlight: config.statusMaxInFlight, logger, registry: metrics.registry });
    const enqueue = (kind: SyncKind, name: string) => queue.add(keyOf(kind, name));

    // A device's applications change with application events, which WatchDevices does not push: list devices again, at most once per interval.
    let deviceRefresh: NodeJS.Timeout | undefined;
    const scheduleDeviceRefresh = () => {
      deviceRefresh ??= setTimeout(() => {
        deviceRefresh = undefined;
        bundles.Device.fleet.refresh().catch((err: unknown) => logger.debug('device list refresh failed', { error: err }));
      }, Math.max(1_000, config.statusMinIntervalMs));
    };
    teardown.add(() => clearTimeout(deviceRefresh));

    const bundle = <K extends SyncKind>(rules: KindRules<K>, source: FleetSource<K>): KindBundle<K> => {
      const informer: ResourceInformer<K> = new ResourceInformer({
        kind: rules.kind,
        namespace: config.namespace,
        customObjects,
        watch,
        logger,
        onChange: (kind, name) => {
          const status = informer.get(name)?.status;
          if (status !== undefined) statusWriter.observe(kind, name, status);
          enqueue(kind, name);
        },
        onRestart: (kind, reason) => metrics.watchRestarts.inc({ source: 'kubernetes', kind, reason }),
      });
      const fleet = new FleetCache({
        source,
        api,
        logger,
        onChange: (kind, name) => {
          enqueue(kind, name);
          if (kind === 'Application') scheduleDeviceRefresh();
        },
        onRestart: (kind) => metrics.watchRestarts.inc({ source: 'fleet', kind, reason: 'watch_error' }),
      });
      return { rules, informer, fleet, source };
    };
    const bundles: Bundles = { Device: bundle(deviceRules, deviceSource), Application: bundle(applicationRules, applicationSource), Gateway: bundle(gatewayRules, gatewaySource) };
    const all = Object.values(bundles) as KindBundle<SyncKind>[];
    metrics.track({ queueDepth: () => queue.depth, objects: (kind) => bundles[kind].informer.names().length, fleetResources: (kind) => bundles[kind].fleet.size });
    for (const b of all) {
      b.fleet.start();
      teardown.add(() => b.fleet.stop());
      b.informer.start();
      teardown.add(() => b.informer.stop());
    }

    const isLeader = () => leader.isLeader();
    const enqueueAll = () => {
      for (const key of reconciler.allKeys()) queue.add(key);
    };
    const executor = new CommandExecutor({ api, logger, onOutcome: (command, outcome) => metrics.commands.inc({ command, outcome }) });
    const writer = new ObjectWriter(k8s, customObjects, config.namespace);
    const reconciler = new Reconciler({ namespace: config.namespace, bundles, api, executor, writer, statusWriter, metrics, logger, isLeader }, (key, delayMs) => queue.add(key, delayMs));

    const leader: LeaderElection = startLeaderElection({
      coordinationApi: kc.makeApiClient(k8s.CoordinationV1Api),
      namespace: config.namespace,
      leaseName: config.lease.name,
      identity: config.identity,
      leaseDurationMs: config.lease.durationMs,
      renewIntervalMs: config.lease.renewIntervalMs,
      logger,
      onStartedLeading: () => {
        metrics.leader.set(1);
        logger.info('leading: reconciling every object', { identity: config.identity });
        enqueueAll();
      },
      onStoppedLeading: () => {
        metrics.leader.set(0);
      },
    });
    teardown.add(() => leader.stop());
    // Before the lease goes: what the leader decided reaches the objects.
    teardown.add(() => statusWriter.stop({ flush: isLeader() }));
    queue.start();
    teardown.add(() => queue.stop());

    const resync = setInterval(() => {
      for (const b of all) b.fleet.refresh().catch((err: unknown) => logger.debug('periodic list failed', { kind: b.rules.kind, error: err }));
      enqueueAll();
    }, config.resyncMs);
    resync.unref();
    teardown.add(() => clearInterval(resync));

    const ready = () => reconciler.cachesSynced();
    const readiness = () => {
      const checks: Record<string, string> = {};
      for (const b of all) {
        checks[`kubernetes.${b.rules.kind}`] = b.informer.synced ? 'synced' : 'listing';
        checks[`fleet.${b.rules.kind}`] = b.fleet.synced ? 'synced' : 'listing';
      }
      return { ready: ready(), checks };
    };
    const http = createSyncHttpServer(
      {
        readiness,
        metrics: metrics.registry,
        status: () => ({
          ...readiness(),
          identity: config.identity,
          leader: isLeader(),
          namespace: config.namespace,
          queueDepth: queue.depth,
          objects: Object.fromEntries(SYNC_KINDS.map((k) => [k, bundles[k].informer.names().length])),
          fleet: Object.fromEntries(SYNC_KINDS.map((k) => [k, bundles[k].fleet.size])),
          statusWriter: statusWriter.stats(),
        }),
      },
      logger,
    );
    const httpPort = await http.listen(config.http.host, config.http.port);
    teardown.add(() => http.close());

    logger.info('k8s-sync started', { httpPort, namespace: config.namespace, api: config.api.address, identity: config.identity });
    return { httpPort, isLeader, ready, flushStatus: () => statusWriter.flush(), stop: () => teardown.run() };
  } catch (err) {
    await teardown.run();
    throw err;
  }
}
