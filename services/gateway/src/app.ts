import { randomUUID } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { getModule, LivenessStore } from '@wasmbed/device-bus';
import { staticTokenAuthenticator } from '@wasmbed/grpc-kit';
import type { PeerIdentity } from '@wasmbed/pki';
import { SessionStateMachine } from '@wasmbed/protocol';
import { adminRoutes } from './admin-routes';
import type { GatewayConfig } from './config';
import { createDeviceListener } from './device-listener';
import { DeviceSession, type SessionServices } from './device-session';
import { connectEventStore } from './event-store';
import { FleetCommands } from './fleet-commands';
import { FleetDirectory } from './fleet-directory';
import { registerGateway } from './gateway-registration';
import { createGatewayHttpServer } from './http-server';
import { createLogger, type Logger } from './logger';
import { KeyedQueue } from './keyed-queue';
import { GatewayMetrics } from './metrics';
import { ModuleCache } from './module-cache';
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
  const teardown: (() => Promise<void>)[] = [];
  const undo = async () => {
    for (const step of teardown.reverse()) {
      try {
        await step();
      } catch (err) {
        logger.warn('shutdown step failed', { error: err });
      }
    }
  };

  try {
    const credentials = await loadTlsCredentials(config);
    const nc: NatsConnection = await connect({ servers: config.natsUrl, name: `wasmbed-gateway-${config.gatewayId}`, noAsyncTraces: true, maxReconnectAttempts: -1 });
    // drain() waits for a server that may be gone; close() ends reconnecting for good.
    teardown.push(async () => {
      await Promise.race([nc.drain().catch(() => undefined), sleep(5_000)]);
      if (!nc.isClosed()) await nc.close();
    });
    const natsUp = trackNats(nc);

    const store = await connectEventStore(nc);
    teardown.push(() => store.close());
    const commands = new FleetCommands(store, config.gatewayId);
    const directory = await FleetDirectory.start(store, config.gatewayId, logger);
    teardown.push(() => directory.stop());

    await registerGateway(commands, directory.gatewayState(), config);
    await commands.gateway('ReportGatewayOnline', { instanceId });
    teardown.push(async () => {
      await commands.gateway('ReportGatewayOffline', { instanceId });
    });

    const metrics = new GatewayMetrics({ defaultMetrics: options.processMetrics ?? true });
    const liveness = await LivenessStore.open(nc);
    const modules = new ModuleCache(options.moduleCacheBytes ?? 64 * 1024 * 1024, (sha256) => getModule(nc, sha256));
    // Fine enough for the shortest deadline, coarse enough to cost nothing with no sessions.
    const resolutionMs = Math.max(20, Math.min(1_000, Math.floor(Math.min(config.helloTimeoutMs, config.heartbeatIntervalMs) / 10)));
    const registry = new SessionRegistry<DeviceSession>(config.capacity, clock, resolutionMs, (err) =>
      logger.error('session deadline handling failed', { error: err }),
    );
    registry.startSweeping();
    const unwatch = watchRevocations(directory, registry);

    const services: SessionServices = {
      gatewayId: config.gatewayId,
      heartbeatIntervalMs: config.heartbeatIntervalMs,
      autoApprove: config.autoApprove,
      commandReplyTimeoutMs: options.commandReplyTimeoutMs ?? 8_000,
      machine: new SessionStateMachine({ helloTimeoutMs: config.helloTimeoutMs, pendingHoldMs: config.pendingHoldMs }),
      directory,
      commands,
      nc,
      liveness,
      modules,
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
    teardown.push(async () => {
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
      authenticator: staticTokenAuthenticator(config.adminTokens.map((t) => ({ tokenSha256Hex: t.tokenSha256, subject: t.subject, role: t.role }))),
      admin: adminRoutes({ gatewayId: config.gatewayId, commands, directory, sessions: () => registry.all(), clock }),
      readiness: () => {
        const checks = { nats: natsUp() ? 'connected' : 'disconnected', listener: listener.listening ? 'listening' : 'closed', fleetLog: directory.live ? 'following' : 'stopped' };
        return { ready: Object.values(checks).every((v) => v === 'connected' || v === 'listening' || v === 'following'), checks };
      },
    });
    const httpPort = await http.listen(config.http.host, config.http.port);
    teardown.push(() => http.close());

    logger.info('gateway started', { gatewayId: config.gatewayId, instanceId, tlsPort, httpPort, endpoint: config.endpoint });
    let stopping: Promise<void> | undefined;
    return { tlsPort, httpPort, gatewayId: config.gatewayId, instanceId, stop: () => (stopping ??= undo()) };
  } catch (err) {
    await undo();
    throw err;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

/** Whether NATS is connected right now, from the connection's status events. */
function trackNats(nc: NatsConnection): () => boolean {
  let up = true;
  void (async () => {
    for await (const status of nc.status()) {
      if (status.type === 'disconnect') up = false;
      else if (status.type === 'reconnect') up = true;
    }
  })();
  return () => up && !nc.isClosed();
}
