/** The api's read models as a test reads them. */
import type { ServiceError } from '@grpc/grpc-js';
import type { Device, DeviceServiceClient, GetDeviceResponse } from '@wasmbed/proto';
import { call } from './publisher';

const NOT_FOUND = 5;

/** The device's read model, or undefined while the api does not know it (not projected yet). */
export async function findDevice(devices: DeviceServiceClient, name: string): Promise<Device | undefined> {
  try {
    return (await call<GetDeviceResponse>((done) => devices.getDevice({ name }, done))).device;
  } catch (err) {
    if ((err as ServiceError).code === NOT_FOUND) return undefined;
    throw err;
  }
}
