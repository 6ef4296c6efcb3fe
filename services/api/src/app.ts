import { connect } from '@nats-io/transport-node';
import { createGrpcServer, type GrpcServer } from '@wasmbed/grpc-kit';
import { ApplicationServiceService, DeviceServiceService, GatewayServiceService } from '@wasmbed/proto';
import { apiTokenAuthenticator, openDomainEventStore, Teardown, trackNatsConnection } from '@wasmbed/service-kit';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { CommandRunner } from './commands/command-runner';
import type { ApiConfig } from './config';
import { applicationService } from './grpc/application-service';
import { deviceService } from './grpc/device-service';
import { gatewayService } from './grpc/gateway-service';
import { createHttpServer, type HttpServer } from './http/http-server';
import { createLogger, type Logger } from './logger';
import { startProjections, type Projections } from './projections/projections';
import { createReadModels } from './queries/read-models';

/** How long a command waits for this instance's read models to show it before replying. */
export const READ_YOUR_WRITES_MS = 2_000;
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

/** Starts the whole api in this process: NATS, event store, projections, gRPC and HTTP listeners. */
export async function startApi(config: ApiConfig, options: StartApiOptions = {}): Promise<RunningApi> {
  const logger = options.logger ?? createLogger(config.logLevel);
  // Undone in reverse order on stop, or when startup fails half-way.
  const teardown = new Teardown(logger);
  try {
    const nc = await connect({ servers: config.natsUrl, name: 'wasmbed-api' });
    teardown.add(() => nc.drain());
    const natsConnected = trackNatsConnection(nc);

    const eventStore = await openDomainEventStore(nc);
    teardown.add(() => eventStore.close());

    const metrics = new Registry();
    collectDefaultMetrics({ register: metrics });
    const projections = await startProjections(eventStore, metrics, logger);
    teardown.add(() => projections.stop());

    const readModels = createReadModels(projections.stores);
    const commands = new CommandRunner({
      store: eventStore,
      logger,
      waitForReadModels: (context, position) => projections.waitForPosition(context, position, READ_YOUR_WRITES_MS),
    });
    const authenticator = apiTokenAuthenticator(config.tokens);

    const deps = { commands, readModels, fleetStore: projections.stores.fleet };
    const grpc = createGrpcServer({
      services: [
        { definition: DeviceServiceService, implementation: deviceService(deps) },
        { definition: GatewayServiceService, implementation: gatewayService(deps) },
        { definition: ApplicationServiceService, implementation: applicationService(deps) },
      ],
      auth: authenticator,
      logger,
    });
    const servingWhenLive = new AbortController();
    teardown.add(async () => {
      servingWhenLive.abort();
      await grpc.shutdown(SHUTDOWN_GRACE_MS);
    });
    const live = (await projections.live()).live;
    setServing(grpc, live);
    const grpcPort = await grpc.listen(config.grpc.host, config.grpc.port);
    if (!live) void serveOnceLive(grpc, projections, servingWhenLive.signal, logger);

    const http: HttpServer = createHttpServer({
      readModels,
      authenticator,
      metrics,
      logger,
      heartbeatMs: options.heartbeatMs,
      readiness: async () => {
        const status = await projections.live();
        const nats = natsConnected();
        return { ready: nats && status.live, checks: { nats: nats ? 'connected' : 'disconnected', projections: status.contexts } };
      },
    });
    const httpPort = await http.listen(config.http.host, config.http.port);
    teardown.add(() => http.close(SHUTDOWN_GRACE_MS));

    // grpc-kit logs the gRPC listener; this is the HTTP one, in the same shape.
    logger.info('HTTP server listening', { host: config.http.host, port: httpPort, paths: ['/healthz', '/readyz', '/metrics', '/api/v1'] });
    return { grpcPort, httpPort, stop: () => teardown.run() };
  } catch (err) {
    await teardown.run();
    throw err;
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
