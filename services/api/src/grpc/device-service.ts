import { serverStreamHandler } from '@wasmbed/grpc-kit';
import type {
  ApproveDeviceRequest,
  AssignGatewayRequest,
  DeviceLogLine,
  DeviceServiceServer,
  RegisterDeviceRequest,
  RejectDeviceRequest,
  RevokeDeviceRequest,
  StreamDeviceLogsRequest,
  UpdateDeviceLabelsRequest,
} from '@wasmbed/proto';
import type { CommandRunner } from '../commands/command-runner';
import { setPairingModeOperation } from '../commands/pairing';
import { DEVICE } from '../commands/targets';
import { ResourceNotFound } from '../errors';
import { streamDeviceLogsSchema } from '../logs/device-log-lines';
import type { DeviceLogs } from '../logs/device-logs';
import { deviceFilter } from '../queries/filters';
import type { ReadModels } from '../queries/read-models';
import { commandOperation, operationHandler } from './command-handler';
import {
  toApproveDevice,
  toAssignGateway,
  toRegisterDevice,
  toRejectDevice,
  toRevokeDevice,
  toUpdateDeviceLabels,
} from './device-mapping';
import { getHandler, listHandler, watchHandler } from './query-handlers';
import { bytesOfLength, checked, commandFields, nonEmpty, resourceName } from './request-schemas';

export interface DeviceServiceDeps {
  readonly commands: CommandRunner;
  readonly readModels: ReadModels;
}

/** DeviceService's commands, shared by gRPC and the HTTP routes. */
export type DeviceOperations = ReturnType<typeof deviceOperations>;

export function deviceOperations({ commands, readModels }: DeviceServiceDeps) {
  return {
    registerDevice: commandOperation(commands, {
      role: 'operator',
      schema: checked<RegisterDeviceRequest>({ ...commandFields, publicKey: bytesOfLength(32, 'an Ed25519 public key') }),
      target: DEVICE,
      build: toRegisterDevice,
    }),
    approveDevice: commandOperation(commands, {
      role: 'operator',
      schema: checked<ApproveDeviceRequest>(commandFields),
      target: DEVICE,
      build: toApproveDevice,
    }),
    rejectDevice: commandOperation(commands, {
      role: 'operator',
      schema: checked<RejectDeviceRequest>({ ...commandFields, reason: nonEmpty }),
      target: DEVICE,
      build: toRejectDevice,
    }),
    revokeDevice: commandOperation(commands, {
      role: 'operator',
      schema: checked<RevokeDeviceRequest>({ ...commandFields, reason: nonEmpty }),
      target: DEVICE,
      build: toRevokeDevice,
    }),
    updateDeviceLabels: commandOperation(commands, {
      role: 'operator',
      schema: checked<UpdateDeviceLabelsRequest>(commandFields),
      target: DEVICE,
      build: toUpdateDeviceLabels,
    }),
    assignGateway: commandOperation(commands, {
      role: 'operator',
      schema: checked<AssignGatewayRequest>({ ...commandFields, gateway: resourceName }),
      target: DEVICE,
      build: toAssignGateway,
      fieldRenames: { gatewayId: 'gateway' },
      // The device aggregate cannot see gateways; the read model can.
      async precheck(request) {
        const gateway = await readModels.gateways.find(request.gateway);
        if (gateway === undefined || gateway.gateway.status === 'Deregistered') throw new ResourceNotFound('gateway', [request.gateway]);
      },
    }),
    setPairingMode: setPairingModeOperation(commands, readModels.gateways),
  };
}

/** DeviceService: every method implemented. */
export function deviceService(operations: DeviceOperations, readModels: ReadModels, logs: DeviceLogs): DeviceServiceServer {
  return {
    registerDevice: operationHandler(operations.registerDevice),
    approveDevice: operationHandler(operations.approveDevice),
    rejectDevice: operationHandler(operations.rejectDevice),
    revokeDevice: operationHandler(operations.revokeDevice),
    updateDeviceLabels: operationHandler(operations.updateDeviceLabels),
    assignGateway: operationHandler(operations.assignGateway),
    setPairingMode: operationHandler(operations.setPairingMode),
    getDevice: getHandler(readModels.devices, (device) => ({ device })),
    listDevices: listHandler(readModels.devices, deviceFilter, (devices, nextPageToken) => ({ devices, nextPageToken })),
    watchDevices: watchHandler(readModels.devices, deviceFilter, (kind, device, position) => ({ kind, device, position })),
    streamDeviceLogs: serverStreamHandler<StreamDeviceLogsRequest, DeviceLogLine, StreamDeviceLogsRequest>({
      role: 'viewer',
      schema: streamDeviceLogsSchema,
      handle: (request, ctx, send) => logs.stream(request, ctx.signal, send),
    }),
  };
}
