import { connect, type NatsConnection } from '@nats-io/transport-node';
import { apiTokenAuthenticator, createJsonLogger, Teardown, trackNatsConnection, type Logger } from '@wasmbed/service-kit';
import { detectBackends } from './backends/detect-backends';
import type { EmulatorLauncher } from './backends/emulator-process';
import { QemuLauncher } from './backends/qemu-launcher';
import { RenodeLauncher } from './backends/renode-launcher';
import type { BackendKind } from './boards/board-catalogue';
import { serveNatsCommands } from './commands/nats-command-server';
import type { RenodeManagerConfig } from './config';
import { DeviceManager } from './devices/device-manager';
import { ApiFleetRegistrar } from './fleet/fleet-registrar';
import { createManagerHttpServer } from './http/http-server';
import { ManagerMetrics } from './metrics';
import { DeviceIdentityIssuer } from './provisioning/device-identity';
import { openWorkDir, removeDir } from './provisioning/work-dir';
import { natsConsoleLogSink } from './serial/console-log-publisher';
import { backendStatus, boardStatus } from './status';

export interface StartRenodeManagerOptions {
  readonly logger?: Logger;
  /** Default metrics of the Node process (default true). */
  readonly processMetrics?: boolean;
  /** PATH searched for QEMU and Renode (default the process's). */
  readonly searchPath?: string;
}

export interface RunningRenodeManager {
  readonly httpPort: number;
  /** Ends every emulator, removes the device files, closes HTTP and drains NATS. */
  stop(): Promise<void>;
}

const DRAIN_TIMEOUT_MS = 5_000;

/** Starts the whole renode-manager in this process. */
export async function startRenodeManager(config: RenodeManagerConfig, options: StartRenodeManagerOptions = {}): Promise<RunningRenodeManager> {
  const logger = options.logger ?? createJsonLogger('renode-manager', config.logLevel);
  // Undone in reverse order on stop, or when startup fails half-way.
  const teardown = new Teardown(logger);
  try {
    const identities = await DeviceIdentityIssuer.load({ ...config.deviceCa, gatewayCaFile: config.gatewayCaFile });
    const installed = await detectBackends({ enabled: config.backends, renodeBinary: config.renodeBinary, searchPath: options.searchPath });
    const launchers: Partial<Record<BackendKind, EmulatorLauncher>> = {};
    if (installed.qemu.size > 0) launchers.qemu = new QemuLauncher((name) => installed.path(name), config.attachTimeoutMs);
    if (installed.renode) launchers.renode = new RenodeLauncher(installed.path('renode'), config.attachTimeoutMs);

    const workDir = await openWorkDir(config.workDir, logger);
    teardown.add(() => removeDir(workDir));

    const nc: NatsConnection = await connect({ servers: config.natsUrl, name: 'wasmbed-renode-manager', noAsyncTraces: true, maxReconnectAttempts: -1 });
    teardown.add(async () => {
      // drain() waits for a server that may be gone; close() ends reconnecting for good.
      await Promise.race([nc.drain().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, DRAIN_TIMEOUT_MS).unref())]);
      if (!nc.isClosed()) await nc.close();
    });
    const natsUp = trackNatsConnection(nc);

    const registrar = new ApiFleetRegistrar(config.api);
    teardown.add(() => registrar.close());

    const available = () => ({ qemu: installed.qemu.size > 0, renode: installed.renode });
    // Scraped only after start, when `devices` exists.
    const metrics = new ManagerMetrics(() => devices.list(), available, { defaultMetrics: options.processMetrics ?? true });
    const devices: DeviceManager = new DeviceManager({
      managerId: config.managerId,
      installed,
      launchers,
      identities,
      registrar,
      workDir,
      firmwareDir: config.firmwareDir,
      gatewayEndpoint: config.gatewayEndpoint,
      gateway: config.gateway,
      gatewayAllow: config.gatewayAllow,
      certificateValidityDays: config.certificateValidityDays,
      publisherKeys: config.publisherKeys,
      maxDevices: config.maxDevices,
      policy: config.restart,
      revokeOnDelete: config.revokeOnDelete,
      consoleSink: natsConsoleLogSink(nc, config.managerId),
      logger,
      observe: metrics.observe,
    });
    teardown.add(() => devices.shutdown());

    const subscriptions = serveNatsCommands(nc, config.subjectPrefix, devices, logger);
    teardown.add(() => subscriptions.forEach((s) => s.unsubscribe()));

    const readiness = () => {
      const checks = { nats: natsUp() ? 'connected' : 'disconnected', backends: launchers.qemu || launchers.renode ? 'available' : 'none' };
      return { ready: checks.nats === 'connected' && checks.backends === 'available', checks };
    };
    const http = createManagerHttpServer({
      manager: devices,
      metrics: metrics.registry,
      readiness,
      authenticator: apiTokenAuthenticator(config.adminTokens),
      logger,
      status: () => ({
        ...readiness(),
        managerId: config.managerId,
        commandSubjects: `${config.subjectPrefix}.<verb>`,
        gateway: { bridgeTo: `${config.gateway.host}:${config.gateway.port}`, endpoint: config.gatewayEndpoint, allow: config.gatewayAllow },
        publisherKeys: config.publisherKeys.map((key) => key.toString('hex')),
        backends: backendStatus(installed, config.backends),
        boards: boardStatus(installed, config.firmwareDir),
        devices: devices.list(),
      }),
    });
    const httpPort = await http.listen(config.http.host, config.http.port);
    teardown.add(() => http.close());

    logger.info('renode-manager started', {
      httpPort,
      subjects: `${config.subjectPrefix}.<verb>`,
      qemu: [...installed.qemu],
      renode: installed.renode,
      workDir,
      gateway: `${config.gateway.host}:${config.gateway.port}`,
    });
    return { httpPort, stop: () => teardown.run() };
  } catch (err) {
    await teardown.run();
    throw err;
  }
}
