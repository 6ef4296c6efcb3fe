import type { Server } from '@grpc/grpc-js';
import { loadSync, type PackageDefinition } from '@grpc/proto-loader';
import { ReflectionService } from '@grpc/reflection';
import { isTypeDefinition, loadWasmbedPackageDefinition } from '@wasmbed/proto';
import { protoPath as healthProtoPath } from 'grpc-health-check';
import { HEALTH_SERVICE_NAME } from './health';

/**
 * gRPC server reflection (v1 and v1alpha) listing the given services and the
 * health service. Schemas come from the wasmbed.v1 descriptor set, so a
 * registered service outside wasmbed.v1 is not described.
 */
export function addReflection(server: Server, services: readonly string[]): void {
  const packageDefinition = { ...loadWasmbedPackageDefinition(), ...loadSync(healthProtoPath) };
  new ReflectionService(oneEntryPerFileSet(packageDefinition), { services: [...services, HEALTH_SERVICE_NAME] }).addToServer(server);
}

/**
 * ReflectionService indexes only the file descriptors attached to type
 * entries, and decodes every entry's list again (hundreds of times the same
 * files, ~0.5 s). Entries loaded together share one list, so one entry per
 * list carries the same information.
 */
function oneEntryPerFileSet(definition: PackageDefinition): PackageDefinition {
  const seen = new Set<Buffer[]>();
  const reduced: PackageDefinition = {};
  for (const [name, entry] of Object.entries(definition)) {
    if (!isTypeDefinition(entry) || seen.has(entry.fileDescriptorProtos)) continue;
    seen.add(entry.fileDescriptorProtos);
    reduced[name] = entry;
  }
  return reduced;
}
