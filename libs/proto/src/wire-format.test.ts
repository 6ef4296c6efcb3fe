import { BinaryWriter } from '@bufbuild/protobuf/wire';
import {
  ApplicationSpec,
  DevicePhase,
  EnrollmentMethod,
  EventEnvelope,
  ListDevicesResponse,
  RegisterDeviceResponse,
  splitFileDescriptorSet,
} from './index';

const spec: ApplicationSpec = {
  module: { sha256: Buffer.alloc(32, 0xab), sizeBytes: 4096, source: { $case: 'uri', value: 'https://mods.example/blink.wasm' } },
  manifestSignature: Buffer.alloc(64, 1),
  publisherKey: Buffer.alloc(32, 2),
  entryPoint: '_start',
  requiredHostFunctions: ['gpio.write'],
  config: { memoryLimitBytes: 65536, cpuTimeLimitMs: 50, env: { MODE: 'blink' }, args: ['--fast'], autoRestart: true, maxRestarts: 3 },
  targets: { kind: { $case: 'selector', value: { matchLabels: { site: 'lab-2' } } } },
  strategy: { canary: 1, batch: { $case: 'batchPercent', value: 25 }, healthGateSeconds: 30, failureThreshold: 0 },
};

describe('generated wasmbed.v1 messages', () => {
  it('round-trip an event envelope with a oneof payload, Date and bytes through the wire format', () => {
    const envelope: EventEnvelope = {
      eventId: 'e-1',
      aggregateType: 'device',
      aggregateId: 'sensor-1',
      position: 42,
      schemaVersion: 1,
      correlationId: 'c-1',
      causationId: 'cmd-1',
      actor: 'alice',
      timestamp: new Date('2025-01-02T03:04:05.678Z'),
      indexInCommit: 0,
      commitSize: 1,
      eventType: 'DeviceEnrolled',
      payload: {
        $case: 'deviceEnrolled',
        value: { method: EnrollmentMethod.ENROLLMENT_METHOD_PRE_REGISTERED, gateway: 'gw-1', capabilities: undefined },
      },
    };
    const decoded = EventEnvelope.decode(EventEnvelope.encode(envelope).finish());
    expect(decoded).toEqual(envelope);
  });

  it('round-trip an application spec through proto3 JSON (the HTTP face)', () => {
    const json = ApplicationSpec.toJSON(spec) as Record<string, unknown>;
    expect(json).toMatchObject({ entryPoint: '_start', targets: { selector: { matchLabels: { site: 'lab-2' } } } });
    expect(ApplicationSpec.fromJSON(JSON.parse(JSON.stringify(json)))).toEqual(spec);
  });

  it('encode enums as numbers and keep unknown values recognisable', () => {
    const bytes = ListDevicesResponse.encode({ devices: [{ ...emptyDevice(), name: 'd1', phase: 99 as DevicePhase }], nextPageToken: '' }).finish();
    expect(ListDevicesResponse.decode(bytes).devices[0]!.phase).toBe(99);
    expect(ListDevicesResponse.toJSON(ListDevicesResponse.decode(bytes))).toMatchObject({ devices: [{ phase: 'UNRECOGNIZED' }] });
  });

  it('decode uint64 up to 2^53-1 as a number and refuse anything larger (forceLong=number)', () => {
    const max = RegisterDeviceResponse.decode(RegisterDeviceResponse.encode({ version: Number.MAX_SAFE_INTEGER }).finish());
    expect(max.version).toBe(Number.MAX_SAFE_INTEGER);
    const tooBig = new BinaryWriter().uint32((1 << 3) | 0).uint64('9007199254740993').finish();
    expect(() => RegisterDeviceResponse.decode(tooBig)).toThrow('MAX_SAFE_INTEGER');
  });
});

function emptyDevice() {
  return ListDevicesResponse.fromPartial({ devices: [{}] }).devices[0]!;
}

describe('splitFileDescriptorSet', () => {
  it('returns the file entries in order and skips other fields', () => {
    const set = new BinaryWriter()
      .uint32((1 << 3) | 2).bytes(Buffer.from('first'))
      .uint32((2 << 3) | 0).uint32(7)
      .uint32((1 << 3) | 2).bytes(Buffer.from('second'))
      .finish();
    expect(splitFileDescriptorSet(set).map((b) => b.toString())).toEqual(['first', 'second']);
  });
});
