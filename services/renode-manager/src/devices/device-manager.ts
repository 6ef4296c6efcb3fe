import { access } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostPort, Logger } from '@wasmbed/service-kit';
import { safeDeviceName, safePath } from '../backends/argv-safety';
import type { EmulatorLauncher } from '../backends/emulator-process';
import { chooseBackend, type InstalledBackends } from '../boards/backend-selection';
import { findBoard, type BackendKind } from '../boards/board-catalogue';
import { DeviceLimitError, EmulatedDeviceExistsError, EmulatedDeviceNotFoundError, FirmwareNotBuiltError, NoBackendForBoardError } from '../errors';
import type { FleetRegistrar } from '../fleet/fleet-registrar';
import type { RestartPolicy } from '../lifecycle/lifecycle';
import type { DeviceIdentityIssuer } from '../provisioning/device-identity';
import { buildProvisioningImage } from '../provisioning/provisioning-image';
import { createDeviceDir, removeDir, writeSecretFile } from '../provisioning/work-dir';
import type { ConsoleLogSink } from '../serial/console-log-publisher';
import { GatewayRoutes } from '../serial/gateway-routes';
import { EmulatedDevice, type EmulatedDeviceDeps, type EmulatedDeviceView } from './emulated-device';

export interface CreateDeviceRequest {
  readonly name: string;
  readonly board: string;
  readonly backend?: BackendKind;
  readonly labels?: Readonly<Record<string, string>>;
  /** Start it right away (default true). */
  readonly start?: boolean;
}

export interface DeviceManagerOptions {
  readonly managerId: string;
  readonly installed: InstalledBackends;
  readonly launchers: Readonly<Partial<Record<BackendKind, EmulatorLauncher>>>;
  readonly identities: DeviceIdentityIssuer;
  readonly registrar: FleetRegistrar;
  /** This manager's work directory (device directories go below it). */
  readonly workDir: string;
  readonly firmwareDir: string;
  /** What devices dial, and where the bridges connect. */
  readonly gatewayEndpoint: string;
  readonly gateway: HostPort;
  /** Further endpoints a device's bridge follows it to when its console says it dials them (a redirect). */
  readonly gatewayAllow?: readonly string[];
  readonly certificateValidityDays: number;
  /** App publishers' Ed25519 keys written into each device's publisher block; empty = none (any publisher). */
  readonly publisherKeys: readonly Uint8Array[];
  readonly maxDevices: number;
  readonly policy: RestartPolicy;
  readonly revokeOnDelete: boolean;
  readonly consoleSink: ConsoleLogSink;
  readonly logger: Logger;
  readonly clock?: () => number;
  readonly observe?: EmulatedDeviceDeps['observe'];
}

const PROVISIONING_FILE = 'provisioning.bin';

/**
 * The emulated devices of this manager: create provisions an identity (key pair,
 * CA-issued certificate, provisioning image), pre-registers the device in the fleet
 * and starts it; the other commands go to the device's supervisor.
 */
export class DeviceManager {
  private readonly devices = new Map<string, EmulatedDevice>();
  private readonly clock: () => number;
  private readonly routes: GatewayRoutes;

  constructor(private readonly options: DeviceManagerOptions) {
    this.clock = options.clock ?? Date.now;
    this.routes = new GatewayRoutes(options.gatewayEndpoint, options.gateway, options.gatewayAllow);
  }

  list(): EmulatedDeviceView[] {
    return [...this.devices.values()].map((d) => d.view()).sort((a, b) => a.name.localeCompare(b.name));
  }

  get(name: string): EmulatedDeviceView {
    return this.device(name).view();
  }

  async create(request: CreateDeviceRequest): Promise<EmulatedDeviceView> {
    const { options } = this;
    const name = safeDeviceName(request.name);
    const board = findBoard(request.board);
    const backend = chooseBackend(board, options.installed, request.backend);
    const launcher = options.launchers[backend];
    if (launcher === undefined) throw new NoBackendForBoardError(board.name, `${backend} is not enabled on this manager (WASMBED_EMU_BACKENDS)`);
    if (board.firmwareTarget === null) throw new NoBackendForBoardError(board.name, 'no firmware is built for it');
    const elf = safePath(join(options.firmwareDir, board.firmwareTarget, 'wasmbed.elf'), 'firmware ELF');
    if (!(await access(elf).then(() => true, () => false))) throw new FirmwareNotBuiltError(board.name, elf, board.firmwareTarget);
    if (this.devices.has(name)) throw new EmulatedDeviceExistsError(name);
    if (this.devices.size >= options.maxDevices) throw new DeviceLimitError(options.maxDevices);

    const labels = { ...request.labels, 'wasmbed.io/emulated': 'true', 'wasmbed.io/emulator': backend, 'wasmbed.io/emulated-by': options.managerId };
    let dir: string | null = null;
    let registered = false;
    const device = new EmulatedDevice(
      { name, board, backend, labels, elf, createdAt: new Date(this.clock()).toISOString() },
      {
        launcher,
        policy: options.policy,
        routes: this.routes,
        consoleSink: options.consoleSink,
        logger: options.logger,
        clock: this.clock,
        observe: options.observe,
        cleanup: async () => {
          this.devices.delete(name);
          if (dir !== null) await removeDir(dir);
          if (registered && options.revokeOnDelete) {
            await options.registrar.revoke(name, `emulated device deleted by ${options.managerId}: its key is destroyed`).catch((err: Error) => {
              options.logger.warn('could not revoke the deleted emulated device in the fleet', { device: name, error: err.message });
            });
          }
        },
      },
    );
    // Claimed before the first await, so a concurrent create of the same name fails.
    this.devices.set(name, device);
    try {
      dir = await createDeviceDir(options.workDir, name);
      const identity = await options.identities.issue(name, options.certificateValidityDays);
      const image = buildProvisioningImage({
        endpoint: options.gatewayEndpoint,
        keySeed: identity.keySeed,
        rngSeed: identity.rngSeed,
        certificateDer: identity.certificateDer,
        trustedCaDers: options.identities.trustedCaDers,
        publisherKeys: options.publisherKeys,
      });
      const provisioningImage = safePath(join(dir, PROVISIONING_FILE), 'provisioning image');
      await writeSecretFile(provisioningImage, image);
      await options.registrar.register({ name, publicKeyHex: identity.publicKeyHex, board: board.name, architecture: board.arch, labels });
      registered = true;
      options.logger.info('emulated device provisioned and registered', { device: name, board: board.name, backend, publicKey: identity.publicKeyHex });
      return await device.created({ dir, provisioningImage, publicKeyHex: identity.publicKeyHex }, request.start ?? true);
    } catch (err) {
      // A manager shutting down refuses this too; its work directory goes anyway.
      if (device.phase === 'Creating') await device.failed((err as Error).message).catch(() => undefined);
      throw err;
    }
  }

  start = (name: string): Promise<EmulatedDeviceView> => this.device(name).start();
  stop = (name: string): Promise<EmulatedDeviceView> => this.device(name).stop();
  restart = (name: string): Promise<EmulatedDeviceView> => this.device(name).restart();
  delete = (name: string): Promise<EmulatedDeviceView> => this.device(name).delete();

  /** Ends every emulator (service shutdown); the work directory is removed by the caller. */
  async shutdown(): Promise<void> {
    await Promise.all([...this.devices.values()].map((d) => d.shutdown()));
    this.devices.clear();
  }

  private device(name: string): EmulatedDevice {
    const device = this.devices.get(name);
    if (device === undefined) throw new EmulatedDeviceNotFoundError(name);
    return device;
  }
}
