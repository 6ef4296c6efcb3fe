import { connect } from '@nats-io/transport-node';
import {
  DEFAULT_DEVICE_LOG_RETENTION,
  DEVICE_LOG_STREAM,
  ensureDeviceLogStream,
  MAX_MODULE_BYTES,
  MODULE_STREAM,
  openModuleStore,
} from '@wasmbed/device-bus';
import { createGrpcServer, isLoopbackHost, serverTlsCredentials, type GrpcServer } from '@wasmbed/grpc-kit';
import { AdminServiceService, ApplicationServiceService, DeviceServiceService, GatewayServiceService } from '@wasmbed/proto';
import { apiTokenAuthenticator, ensureStreamReplicas, openDomainEventStore, Teardown, trackNatsConnection } from '@wasmbed/service-kit';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ReadModelGate } from './admin/read-model-gate';
import { ReadModelRebuild } from './admin/read-model-rebuild';
import { PublisherTrust } from './admission/publisher-trust';
import { CommandRunner } from './commands/command-runner';
import { knownStateOf } from './commands/known-state';
import type { ApiConfig } from './config';
import { adminService, rebuildReadModelsOperation } from './grpc/admin-service';
import { applicationOperations } from './grpc/application-operations';
import { applicationService } from './grpc/application-service';
import { deviceOperations, deviceService } from './grpc/device-service';
import { gatewayService } from './grpc/gateway-service';
import { createHttpServer, type HttpServer } from './http/http-server';
import { createLogger, type Logger } from './logger';
import { DeviceLogs } from './logs/device-logs';
import { startProjections, type Projections } from './projections/projections';
import { createReadModels } from './queries/read-models';

/** How long a command waits for this instance's read models to show it before replying. */
export const READ_YOUR_WRITES_MS = 2_000;
/** Room for the largest inline module plus the rest of a CreateApplication request. */
export const MAX_GRPC_REQUEST_BYTES = MAX_MODULE_BYTES + 1024 * 1024;
const SHUTDOWN_GRACE_MS = 5_000;
const LIVE_POLL_MS = 250;

export interface StartApiOptions {
  readonly logger?: Logger;
  /** SSE heartbeat period (default 15 s). */
  readonly heartbeatMs?: number;
}

export interface RunningApi {
  readonly grpcPort: number;
  readonly httpPort: number;
  /** Graceful: stop accepting, let calls in flight finish (bounded), stop projections, drain NATS. */
  stop(): Promise<void>;
}

/** Starts the whole api in this process: NATS, event store, projections, log stream, gRPC and HTTP listeners. */
export async function startApi(config: ApiConfig, options: StartApiOptions = {}): Promise<RunningApi> {
  const logger = options.logger ?? createLogger(config.logLevel);
  // Undone in reverse order on stop, or when startup fails half-way.
  const teardown = new Teardown(logger);
  warnIfPlaintext(config, logger);
  try {
    const nc = await connect({ servers: config.natsUrl, name: 'wasmbed-api' });
    teardown.add(() => nc.drain());
    const natsConnected = trackNatsConnection(nc);

    const replicas = config.jetStreamReplicas ?? 1;
    const eventStore = await openDomainEventStore(nc, { replicas, logger });
    teardown.add(() => eventStore.close());
    const retention = config.deviceLogs ?? DEFAULT_DEVICE_LOG_RETENTION;
    const logStream = await ensureDeviceLogStream(nc, retention, { replicas });
    logger.info('device log stream ready', { change: logStream, ...retention });
    await openModuleStore(nc, { replicas });
    await ensureStreamReplicas(nc, [DEVICE_LOG_STREAM, MODULE_STREAM], replicas, logger);

    const metrics = new Registry();
    collectDefaultMetrics({ register: metrics });
    const projections = await startProjections(eventStore, metrics, logger);
    teardown.add(() => projections.stop());

    const gate = new ReadModelGate();
    const readModels = createReadModels(projections.stores, gate);
    const commands = new CommandRunner({
      store: eventStore,
      logger,
      waitForReadModels: (context, position) => projections.waitForPosition(context, position, READ_YOUR_WRITES_MS),
      knownStateOf: (aggregateType, id) => knownStateOf(readModels, aggregateType, id),
    });
    const authenticator = apiTokenAuthenticator(config.tokens);
    const trust = new PublisherTrust(config.trustedPublisherKeys);
    const logs = new DeviceLogs(nc, readModels.devices, logger);
    const devices = deviceOperations({ commands, readModels });
    const applications = applicationOperations({ commands, readModels, logger });
    const rebuildReadModels = rebuildReadModelsOperation(new ReadModelRebuild(projections, gate, logger));

    const grpc = createGrpcServer({
      services: [
        { definition: DeviceServiceService, implementation: deviceService(devices, readModels, logs) },
        { definition: GatewayServiceService, implementation: gatewayService({ commands, readModels }) },
        { definition: ApplicationServiceService, implementation: applicationService({ nc, commands, readModels, trust, operations: applications }) },
        { definition: AdminServiceService, implementation: adminService(rebuildReadModels) },
      ],
      auth: authenticator,
      logger,
      ...(config.tls === undefined ? {} : { credentials: serverTlsCredentials(config.tls) }),
      serverOptions: { 'grpc.max_receive_message_length': MAX_GRPC_REQUEST_BYTES },
    });
    const servingWhenLive = new AbortController();
    teardown.add(async () => {
      servingWhenLive.abort();
      await grpc.shutdown(SHUTDOWN_GRACE_MS);
    });
    const live = (await projections.live()).live;
    setServing(grpc, live);
    // A rebuild makes the instance NOT_SERVING until its read models are whole again.
    gate.onChange((open) => {
      if (!servingWhenLive.signal.aborted) setServing(grpc, open);
    });
    const grpcPort = await grpc.listen(config.grpc.host, config.grpc.port);
    if (!live) void serveOnceLive(grpc, projections, servingWhenLive.signal, logger);

    const http: HttpServer = createHttpServer({
      readModels,
      logs,
      devices,
      applications,
      rebuildReadModels,
      authenticator,
      metrics,
      logger,
      heartbeatMs: options.heartbeatMs,
      tls: config.tls,
      readiness: async () => {
        const status = await projections.live();
        const nats = natsConnected();
        const checks = { nats: nats ? 'connected' : 'disconnected', projections: status.contexts, readModels: gate.open ? 'available' : 'rebuilding' };
        return { ready: nats && status.live && gate.open, checks };
      },
    });
    const httpPort = await http.listen(config.http.host, config.http.port);
    teardown.add(() => http.close(SHUTDOWN_GRACE_MS));

    // grpc-kit logs the gRPC listener; this is the HTTP one, in the same shape.
    logger.info('HTTP server listening', { host: config.http.host, port: httpPort, https: config.tls !== undefined, paths: ['/healthz', '/readyz', '/metrics', '/api/v1'] });
    return { grpcPort, httpPort, stop: () => teardown.run() };
  } catch (err) {
    await teardown.run();
    throw err;
  }
}

/** Tokens are sent with every call: without TLS they must not leave the machine. */
function warnIfPlaintext(config: ApiConfig, logger: Logger): void {
  if (config.tls !== undefined) return;
  for (const [listener, { host }] of [['gRPC', config.grpc], ['HTTP', config.http]] as const) {
    if (isLoopbackHost(host)) continue;
    logger.warn(`${listener} listens on a non-loopback address without TLS: bearer tokens would cross the network in plaintext (set WASMBED_API_TLS_CERT and WASMBED_API_TLS_KEY)`, { host });
  }
}

function setServing(grpc: GrpcServer, serving: boolean): void {
  for (const name of ['', ...grpc.serviceNames]) grpc.setServing(name, serving);
}

/** Health turns SERVING once the replay of the logs has caught up (queries before that see a partial model). */
async function serveOnceLive(grpc: GrpcServer, projections: Projections, signal: AbortSignal, logger: Logger): Promise<void> {
  while (!signal.aborted) {
    await new Promise((resolve) => setTimeout(resolve, LIVE_POLL_MS).unref());
    try {
      if ((await projections.live()).live) {
        if (!signal.aborted) setServing(grpc, true);
        logger.info('read models caught up: serving');
        return;
      }
    } catch (err) {
      logger.warn('checking the projections failed', { error: err });
    }
  }
}
