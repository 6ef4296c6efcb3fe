import type { ServiceDefinition } from '@grpc/grpc-js';
import { ConfigError } from '@wasmbed/errors';

/** "wasmbed.v1.DeviceService" from the method paths ("/wasmbed.v1.DeviceService/GetDevice"). */
export function serviceNameOf(definition: ServiceDefinition): string {
  const names = new Set(Object.values(definition).map((method) => /^\/([^/]+)\//.exec(method.path)?.[1]));
  const [name] = names;
  if (names.size !== 1 || name === undefined) {
    throw new ConfigError('a service definition must have methods of exactly one service', [...names].map(String));
  }
  return name;
}
