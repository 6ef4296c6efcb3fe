import type {
  ApproveDevice,
  AssignGateway,
  CommandMetadata,
  RegisterDevice,
  RejectDevice,
  RevokeDevice,
  SetPairingMode,
  UpdateDeviceLabels,
} from '@wasmbed/domain';
import type {
  ApproveDeviceRequest,
  AssignGatewayRequest,
  RegisterDeviceRequest,
  RejectDeviceRequest,
  RevokeDeviceRequest,
  UpdateDeviceLabelsRequest,
} from '@wasmbed/proto';

/** DeviceService requests as domain commands: bytes become lowercase hex, empty strings "not set". */

export function toRegisterDevice(req: RegisterDeviceRequest, metadata: CommandMetadata): RegisterDevice {
  return {
    type: 'RegisterDevice',
    data: {
      deviceId: req.name,
      publicKey: req.publicKey.toString('hex'),
      board: req.board,
      architecture: req.architecture,
      labels: { ...req.labels },
      preferredGateway: req.preferredGateway === '' ? null : req.preferredGateway,
    },
    metadata,
  };
}

export function toApproveDevice(req: ApproveDeviceRequest, metadata: CommandMetadata): ApproveDevice {
  return { type: 'ApproveDevice', data: { deviceId: req.name }, metadata };
}

export function toRejectDevice(req: RejectDeviceRequest, metadata: CommandMetadata): RejectDevice {
  return { type: 'RejectDevice', data: { deviceId: req.name, reason: req.reason }, metadata };
}

export function toRevokeDevice(req: RevokeDeviceRequest, metadata: CommandMetadata): RevokeDevice {
  return { type: 'RevokeDevice', data: { deviceId: req.name, reason: req.reason }, metadata };
}

export function toUpdateDeviceLabels(req: UpdateDeviceLabelsRequest, metadata: CommandMetadata): UpdateDeviceLabels {
  return { type: 'UpdateDeviceLabels', data: { deviceId: req.name, labels: { ...req.labels } }, metadata };
}

export function toAssignGateway(req: AssignGatewayRequest, metadata: CommandMetadata): AssignGateway {
  return { type: 'AssignGateway', data: { deviceId: req.name, gatewayId: req.gateway }, metadata };
}

/** One gateway's share of a SetPairingMode request. 0 s means the domain's default window. */
export function toSetPairingMode(
  gatewayId: string,
  req: { enabled: boolean; durationSeconds: number },
  metadata: CommandMetadata,
): SetPairingMode {
  // The duration only applies when enabling; the domain refuses it otherwise.
  const durationSeconds = req.enabled && req.durationSeconds !== 0 ? req.durationSeconds : undefined;
  return { type: 'SetPairingMode', data: { gatewayId, enabled: req.enabled, durationSeconds }, metadata };
}
