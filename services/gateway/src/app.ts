import { randomUUID } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { getModule, LIVENESS_STREAM, LivenessStore, MODULE_STREAM, openModuleStore } from '@wasmbed/device-bus';
import type { PeerIdentity } from '@wasmbed/pki';
import { SessionStateMachine } from '@wasmbed/protocol';
import { apiTokenAuthenticator, ensureStreamReplicas, openDomainEventStore, Teardown, trackNatsConnection } from '@wasmbed/service-kit';
import { adminRoutes } from './admin-routes';
import type { GatewayConfig } from './config';
import { createDeviceListener } from './device-listener';
import { DeviceSession, type SessionServices } from './device-session';
import { FleetCommands } from './fleet-commands';
import { FleetDirectory } from './fleet-directory';
import { registerGateway } from './gateway-registration';
import { createGatewayHttpServer } from './http-server';
import { createLogger, type Logger } from './logger';
import { KeyedQueue } from './keyed-queue';
import { GatewayMetrics } from './metrics';
import { ModuleCache } from './module-cache';
import { VerifiedManifests } from './verified-manifests';
import { SessionRegistry } from './session-registry';
import { loadTlsCredentials } from './tls-credentials';
import { watchRevocations } from './revocation-watch';

export interface StartGatewayOptions {
  readonly logger?: Logger;
  /** How long Deploy/Stop commands wait for the device's first answer (default 8 s, under the bus' 10 s request timeout). */
  readonly commandReplyTimeoutMs?: number;
  /** Bytes of modules kept in memory (default 64 MiB). */
  readonly moduleCacheBytes?: number;
  /** Default metrics of the Node process (default true). */
  readonly processMetrics?: boolean;
  /** How long stop() lets sessions flush their last event-log writes (default 5 s). */
  readonly shutdownGraceMs?: number;
}

export interface RunningGateway {
  readonly tlsPort: number;
  readonly httpPort: number;
  readonly gatewayId: string;
  readonly instanceId: string;
  /** Graceful: stop accepting, Bye every session, record them disconnected, report offline, drain NATS. */
  stop(): Promise<void>;
}

/** Starts the whole gateway in this process. */
export async function startGateway(config: GatewayConfig, options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const logger = options.logger ?? createLogger(config.logLevel);
  const clock = () => Date.now();
  const instanceId = randomUUID();
  // Undone in reverse order on stop, or when startup fails half-way.
  const teardown = new Teardown(logger);

  try {
    const credentials = await loadTlsCredentials(config);
    const nc: NatsConnection = await connect({ servers: config.natsUrl, name: `wasmbed-gateway-${config.gatewayId}`, noAsyncTraces: true, maxReconnectAttempts: -1 });
    // drain() waits for a server that may be gone; close() ends reconnecting for good.
    teardown.add(async () => {
      await Promise.race([nc.drain().catch(() => undefined), sleep(5_000)]);
      if (!nc.isClosed()) await nc.close();
    });
    const natsUp = trackNatsConnection(nc);

    const replicas = config.jetStreamReplicas ?? 1;
    const store = await openDomainEventStore(nc, { replicas, logger });
    teardown.add(() => store.close());
    const commands = new FleetCommands(store, config.gatewayId);
    const directory = await FleetDirectory.start(store, config.gatewayId, logger);
    teardown.add(() => directory.stop());

    await registerGateway(commands, directory.gatewayState(), config);
    await commands.gateway('ReportGatewayOnline', { instanceId });
    teardown.add(async () => {
      await commands.gateway('ReportGatewayOffline', { instanceId });
    });

    const metrics = new GatewayMetrics({ defaultMetrics: options.processMetrics ?? true });
    const liveness = await LivenessStore.open(nc, { replicas });
    await openModuleStore(nc, { replicas });
    await ensureStreamReplicas(nc, [LIVENESS_STREAM, MODULE_STREAM], replicas, logger);
    const modules = new ModuleCache(options.moduleCacheBytes ?? 64 * 1024 * 1024, (sha256) => getModule(nc, sha256));
    // Fine enough for the shortest deadline, coarse enough to cost nothing with no sessions. At most
    // 100 ms: deferred liveness writes come due in the sweeps, and a coarser wheel gathers a second's
    // worth of them into one burst that delays the heartbeats arriving meanwhile.
    const resolutionMs = Math.max(20, Math.min(100, Math.floor(Math.min(config.helloTimeoutMs, config.heartbeatIntervalMs) / 10)));
    const registry = new SessionRegistry<DeviceSession>(config.capacity, clock, resolutionMs, (err) =>
      logger.error('session deadline handling failed', { error: err }),
    );
    registry.startSweeping();
    const unwatch = watchRevocations(directory, registry);

    const services: SessionServices = {
      gatewayId: config.gatewayId,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      livenessFlushMs: config.livenessFlushMs,
      autoApprove: config.autoApprove,
      commandReplyTimeoutMs: options.commandReplyTimeoutMs ?? 8_000,
      machine: new SessionStateMachine({ helloTimeoutMs: config.helloTimeoutMs, pendingHoldMs: config.pendingHoldMs }),
      directory,
      commands,
      nc,
      liveness,
      modules,
      verifiedManifests: new VerifiedManifests(),
      metrics,
      logger,
      registry,
      deviceWrites: new KeyedQueue(),
      clock,
    };

    const onDevice = (socket: TLSSocket, identity: PeerIdentity) => {
      const session = new DeviceSession(socket, identity, services);
      const known = directory.deviceWithKey(identity.publicKeyHex);
      const overCapacity = registry.full;
      session.start();
      metrics.sessions.set(registry.size);
      if (known?.status === 'Revoked') {
        // As docs/protocol.md §8.5: the revoked device's Hello gets Rejected, and the log is not written.
        metrics.handshakes.inc({ outcome: 'revoked' });
        logger.info('revoked device refused at connect', { deviceId: known.deviceId, remote: socket.remoteAddress });
        session.refuseAtHello(known.revocation?.rejected ? 'denied' : 'revoked', known.revocation?.reason ?? 'revoked');
        return;
      }
      if (overCapacity) {
        metrics.handshakes.inc({ outcome: 'over_capacity' });
        session.bye('over_capacity', 30_000);
        return;
      }
      metrics.handshakes.inc({ outcome: 'ok' });
    };
    const listener = createDeviceListener({ credentials, handshakeTimeoutMs: config.handshakeTimeoutMs, metrics, logger, onDevice });
    const tlsPort = await listener.listen(config.bind.host, config.bind.port);
    teardown.add(async () => {
      const closing = listener.close();
      unwatch();
      registry.stopSweeping();
      const sessions = registry.all();
      for (const session of sessions) session.bye('shutdown');
      await Promise.race([Promise.all(sessions.map((s) => s.closed)), sleep(options.shutdownGraceMs ?? 5_000)]);
      await closing;
    });

    const http = createGatewayHttpServer({
      metrics: metrics.registry,
      logger,
      authenticator: apiTokenAuthenticator(config.adminTokens),
      admin: adminRoutes({ gatewayId: config.gatewayId, commands, directory, sessions: () => registry.all(), clock }),
      readiness: () => {
        const checks = { nats: natsUp() ? 'connected' : 'disconnected', listener: listener.listening ? 'listening' : 'closed', fleetLog: directory.live ? 'following' : 'stopped' };
        return { ready: Object.values(checks).every((v) => v === 'connected' || v === 'listening' || v === 'following'), checks };
      },
    });
    const httpPort = await http.listen(config.http.host, config.http.port);
    teardown.add(() => http.close());

    logger.info('gateway started', { gatewayId: config.gatewayId, instanceId, tlsPort, httpPort, endpoint: config.endpoint });
    return { tlsPort, httpPort, gatewayId: config.gatewayId, instanceId, stop: () => teardown.run() };
  } catch (err) {
    await teardown.run();
    throw err;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
