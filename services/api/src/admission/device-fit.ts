import type { DeviceCapabilities } from '@wasmbed/domain';
import { checkManifestAgainst, type Manifest } from '@wasmbed/protocol';

/**
 * Why a device with these capabilities cannot run this manifest; empty when
 * it can. The module checks are the ones devices make on Deploy
 * (checkManifestAgainst), plus the memory limit against the device's RAM.
 */
export function fitProblems(manifest: Manifest, capabilities: DeviceCapabilities): string[] {
  const problems = checkManifestAgainst(manifest, null, { maxModuleBytes: capabilities.maxModuleBytes, hostFunctions: capabilities.hostFunctions }).map(
    (problem) => problem.message,
  );
  if (manifest.memoryLimitBytes > capabilities.ramBytes) {
    problems.push(`memory limit of ${manifest.memoryLimitBytes} bytes exceeds the device's ${capabilities.ramBytes} bytes of RAM`);
  }
  return problems;
}
