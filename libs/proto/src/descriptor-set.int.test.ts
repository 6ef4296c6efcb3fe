import { loadPackageDefinition } from '@grpc/grpc-js';
import type { MethodDefinition } from '@grpc/proto-loader';
import {
  ApplicationServiceService,
  DeviceServiceService,
  GatewayServiceService,
  isTypeDefinition,
  RegisterDeviceRequest,
  WASMBED_SERVICE_NAMES,
  loadWasmbedPackageDefinition,
  readWasmbedDescriptorSet,
  splitFileDescriptorSet,
} from './index';

// Reads the committed descriptor set from disk: checks it matches the generated
// TypeScript (both come from one gen-proto.sh run).
describe('wasmbed.v1 descriptor set', () => {
  const pkg = loadWasmbedPackageDefinition();

  it('holds exactly the wasmbed.v1 services', () => {
    const services = Object.keys(pkg).filter((name) => name.startsWith('wasmbed.v1.') && !isTypeDefinition(pkg[name]!));
    expect(services.sort()).toEqual([...WASMBED_SERVICE_NAMES]);
  });

  it.each([
    ['wasmbed.v1.DeviceService', DeviceServiceService],
    ['wasmbed.v1.ApplicationService', ApplicationServiceService],
    ['wasmbed.v1.GatewayService', GatewayServiceService],
  ] as const)('describes every method of %s with the paths and streaming kinds of the generated code', (name, generated) => {
    const described = Object.values(pkg[name] as Record<string, MethodDefinition<object, object>>).map((m) => [m.path, m.responseStream]);
    const expected = Object.values(generated).map((m) => [m.path, m.responseStream]);
    expect(described.sort()).toEqual(expected.sort());
  });

  it('decodes what the generated code encodes', () => {
    const request = RegisterDeviceRequest.fromPartial({
      name: 'sensor-1',
      publicKey: Buffer.alloc(32, 7),
      labels: { site: 'lab-2' },
      expectedVersion: 3,
    });
    const method = (pkg['wasmbed.v1.DeviceService'] as Record<string, MethodDefinition<object, object>>)['RegisterDevice']!;
    const decoded = method.requestDeserialize(Buffer.from(RegisterDeviceRequest.encode(request).finish()));
    expect(decoded).toMatchObject({ name: 'sensor-1', public_key: Buffer.alloc(32, 7), expected_version: '3' });
    // protobuf.js (which proto-loader uses) reads map fields of a descriptor set as entry lists.
    expect((decoded as { labels: unknown }).labels).toEqual([{ key: 'site', value: 'lab-2' }]);
  });

  it('turns into grpc-js client constructors', () => {
    type Ctor = { service: Record<string, { path: string }> };
    const loaded = loadPackageDefinition(pkg) as unknown as { wasmbed: { v1: Record<string, Ctor> } };
    expect(loaded.wasmbed.v1['DeviceService']!.service['RegisterDevice']!.path).toBe('/wasmbed.v1.DeviceService/RegisterDevice');
  });

  it("carries protoc's own file descriptors, with doc comments, for reflection", () => {
    const files = splitFileDescriptorSet(readWasmbedDescriptorSet());
    expect(files).toHaveLength(7); // six wasmbed/v1 files and google/protobuf/timestamp.proto
    const device = files.find((f) => f.includes('wasmbed/v1/device.proto'))!;
    expect(device.includes('Pre-registers a device by its Ed25519 public key')).toBe(true);
    const typeEntries = Object.values(pkg).filter(isTypeDefinition);
    expect(typeEntries.length).toBeGreaterThan(100);
    const shared = typeEntries[0]!.fileDescriptorProtos;
    expect(typeEntries.every((entry) => entry.fileDescriptorProtos === shared)).toBe(true);
    expect(shared.map((file, i) => file.equals(files[i]!))).toEqual(files.map(() => true));
  });
});
