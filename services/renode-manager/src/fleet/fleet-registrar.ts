import { readFileSync } from 'node:fs';
import { Metadata, status, type ServiceError } from '@grpc/grpc-js';
import { ConfigError, WasmbedError, type ErrorCode } from '@wasmbed/errors';
import { createClient, GRPC_STATUS_BY_ERROR_CODE } from '@wasmbed/grpc-kit';
import { DeviceServiceClient } from '@wasmbed/proto';

/** What the fleet is told about an emulated device. */
export interface FleetDevice {
  readonly name: string;
  readonly publicKeyHex: string;
  readonly board: string;
  readonly architecture: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** The platform's device registry, as the manager uses it. */
export interface FleetRegistrar {
  /** Pre-registers the device: its first Hello with this key enrolls it without an operator. */
  register(device: FleetDevice): Promise<void>;
  revoke(name: string, reason: string): Promise<void>;
  close(): void;
}

/** The api refused or could not answer; `code` is the api's own (or `unavailable`). */
export class FleetApiError extends WasmbedError {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}

const CODE_BY_STATUS = new Map<number, ErrorCode>(Object.entries(GRPC_STATUS_BY_ERROR_CODE).map(([code, grpc]) => [grpc, code as ErrorCode]));

function fleetError(err: ServiceError, rpc: string, address: string): FleetApiError {
  if (err.code === status.UNAVAILABLE || err.code === status.DEADLINE_EXCEEDED) {
    return new FleetApiError('unavailable', `the api at ${address} did not answer ${rpc}: ${err.details}`);
  }
  if (err.code === status.UNAUTHENTICATED || err.code === status.PERMISSION_DENIED) {
    // The manager's own credentials are wrong: the operator of the manager must act, not the caller.
    return new FleetApiError('failed_precondition', `the api refused renode-manager's token for ${rpc} (WASMBED_API_TOKEN needs the operator role): ${err.details}`);
  }
  return new FleetApiError(CODE_BY_STATUS.get(err.code) ?? 'internal', `api ${rpc}: ${err.details}`);
}

export interface ApiFleetRegistrarOptions {
  readonly address: string;
  readonly token: string;
  /** PEM CA bundle for TLS to the api; null = plaintext (loopback only, grpc-kit's rule). */
  readonly tlsCaFile: string | null;
  readonly timeoutMs?: number;
}

/** RegisterDevice / RevokeDevice on the api's gRPC DeviceService. */
export class ApiFleetRegistrar implements FleetRegistrar {
  private readonly client: DeviceServiceClient;
  private readonly timeoutMs: number;

  constructor(private readonly options: ApiFleetRegistrarOptions) {
    let rootCerts: Buffer | undefined;
    if (options.tlsCaFile !== null) {
      try {
        rootCerts = readFileSync(options.tlsCaFile);
      } catch (err) {
        throw new ConfigError(`cannot read WASMBED_API_TLS_CA ${options.tlsCaFile}: ${(err as Error).message}`);
      }
    }
    this.client = createClient(DeviceServiceClient, options.address, { token: options.token, ...(rootCerts ? { tls: { rootCerts } } : {}) });
    this.timeoutMs = options.timeoutMs ?? 15_000;
  }

  register(device: FleetDevice): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.registerDevice(
        {
          // The same device (name and key) is the same command: a retried create writes nothing twice.
          commandId: `renode-manager:register:${device.name}:${device.publicKeyHex}`,
          expectedVersion: 0,
          name: device.name,
          publicKey: Buffer.from(device.publicKeyHex, 'hex'),
          board: device.board,
          architecture: device.architecture,
          labels: { ...device.labels },
          preferredGateway: '',
        },
        new Metadata(),
        { deadline: Date.now() + this.timeoutMs },
        (err) => (err ? reject(fleetError(err, 'RegisterDevice', this.options.address)) : resolve()),
      );
    });
  }

  revoke(name: string, reason: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.client.revokeDevice(
        { commandId: `renode-manager:revoke:${name}`, expectedVersion: 0, name, reason },
        new Metadata(),
        { deadline: Date.now() + this.timeoutMs },
        (err) => (err ? reject(fleetError(err, 'RevokeDevice', this.options.address)) : resolve()),
      );
    });
  }

  close(): void {
    this.client.close();
  }
}
