import fc from 'fast-check';
import { decodeCbor } from '../cbor/decode';
import { encodeCbor } from '../cbor/encode';
import { protocolErrorOf as protocolError } from '../test-support/thrown';
import { GATEWAY_MAX_FRAME_BYTES, MAX_CHUNK_DATA_BYTES, MAX_ID_BYTES, MAX_MSG_ID, MAX_U32, MODULE_CHUNK_OVERHEAD_BYTES, maxChunkDataBytes } from '../limits';
import { messageArbitrary } from '../test-support/arbitraries';
import { SAMPLE_MESSAGES, sampleMessage } from '../vectors/samples';
import { MESSAGE_CATALOG, MESSAGE_TYPES, maySend, messageTypeOfCode } from './catalog';
import { decodeDeviceMessage, decodeGatewayMessage, decodeMessage, encodeMessage, encodeMessageFrame } from './codec';
import type { DeviceMessageType, GatewayMessageType, Message } from './types';

/** An envelope with a body that may break the schema. */
function raw(type: string, body: unknown, msgId = 1, correlationId = 0): Uint8Array {
  return encodeCbor([1, MESSAGE_CATALOG[type as keyof typeof MESSAGE_CATALOG].code, msgId, correlationId, body as never]);
}

describe('message catalog', () => {
  it('gives every type a distinct one-byte code', () => {
    const codes = MESSAGE_TYPES.map((t) => MESSAGE_CATALOG[t].code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toBeLessThan(24);
    for (const type of MESSAGE_TYPES) expect(messageTypeOfCode(MESSAGE_CATALOG[type].code)).toBe(type);
    expect(messageTypeOfCode(0)).toBeUndefined();
  });

  it('agrees with the DeviceMessage / GatewayMessage unions', () => {
    const device: Record<DeviceMessageType, true> = {
      Hello: true, Heartbeat: true, ModuleRequest: true, DeployResult: true, StopResult: true, AppStatus: true, AppLog: true, Error: true,
    };
    const gateway: Record<GatewayMessageType, true> = {
      Welcome: true, EnrollmentPending: true, Rejected: true, HeartbeatAck: true, Deploy: true, ModuleChunk: true, Stop: true, Error: true, Bye: true,
    };
    expect(MESSAGE_TYPES.filter((t) => maySend('device', t)).sort()).toEqual(Object.keys(device).sort());
    expect(MESSAGE_TYPES.filter((t) => maySend('gateway', t)).sort()).toEqual(Object.keys(gateway).sort());
  });
});

describe('encodeMessage / decodeMessage', () => {
  it.each(SAMPLE_MESSAGES.map((s) => [s.name, s.message] as const))('round-trips the %s sample', (_name, message) => {
    expect(decodeMessage(encodeMessage(message))).toEqual(message);
  });

  it.each(MESSAGE_TYPES)('round-trips any valid %s', (type) => {
    fc.assert(
      fc.property(messageArbitrary(type), (message) => {
        const bytes = encodeMessage(message);
        expect(decodeMessage(bytes)).toEqual(message);
        // What is sent is deterministic CBOR, so a strict peer can read it too.
        expect(() => decodeCbor(bytes, { deterministic: true })).not.toThrow();
      }),
      { numRuns: 150 },
    );
  });

  it('encodes the envelope as [version, type, msgId, correlationId, body]', () => {
    const bytes = encodeMessage({ type: 'Stop', msgId: 5, correlationId: 0, body: { appId: 'a' } });
    expect(Buffer.from(bytes).toString('hex')).toBe('85010b0500a165617070496461' + '61');
  });

  it('frames a message with its length', () => {
    const message = sampleMessage('stop');
    expect(Buffer.from(encodeMessageFrame(message).subarray(4))).toEqual(Buffer.from(encodeMessage(message)));
  });

  it('ignores body keys it does not know, and does not return them', () => {
    const decoded = decodeMessage(raw('Stop', { appId: 'blinky', later: { x: [1, 2] } }));
    expect(decoded.body).toEqual({ appId: 'blinky' });
  });

  it('drops unknown keys when encoding too', () => {
    const message = { type: 'Stop', msgId: 1, correlationId: 0, body: { appId: 'blinky', extra: 1 } } as unknown as Message;
    expect(decodeMessage(encodeMessage(message)).body).toEqual({ appId: 'blinky' });
  });

  it.each([
    ['a map envelope', encodeCbor({ a: 1 }), 'invalid_message', 'envelope'],
    ['a 4-item envelope', encodeCbor([1, 11, 1, 0]), 'invalid_message', 'envelope'],
    ['a text version', encodeCbor(['1', 11, 1, 0, {}]), 'invalid_message', 'version'],
    ['version 2', encodeCbor([2, 11, 1, 0, {}]), 'unsupported_version', undefined],
    ['version 0', encodeCbor([0, 11, 1, 0, {}]), 'unsupported_version', undefined],
    ['a negative type', encodeCbor([1, -1, 1, 0, {}]), 'invalid_message', 'type'],
    ['msgId 0', encodeCbor([1, 11, 0, 0, {}]), 'invalid_message', 'msgId'],
    ['msgId 2^32', encodeCbor([1, 11, MAX_MSG_ID + 1, 0, {}]), 'invalid_message', 'msgId'],
    ['a negative correlationId', encodeCbor([1, 11, 1, -1, {}]), 'invalid_message', 'correlationId'],
    ['a body that is not a map', encodeCbor([1, 11, 1, 0, []]), 'invalid_message', 'body'],
  ])('rejects %s', (_what, bytes, code, path) => {
    const err = protocolError(() => decodeMessage(bytes));
    expect(err.protocolCode).toBe(code);
    expect(err.info.path).toBe(path);
    expect(err.fatal).toBe(true);
  });

  it('reports an unknown type as non-fatal, with its msgId', () => {
    const err = protocolError(() => decodeMessage(encodeCbor([1, 99, 7, 0, {}])));
    expect(err).toMatchObject({ protocolCode: 'unknown_type', fatal: false, info: { msgId: 7, typeCode: 99 } });
  });

  it('names the failing field, and the msgId, for body errors', () => {
    const hello = sampleMessage('hello').body as unknown as Record<string, unknown>;
    const cases: [string, unknown, string][] = [
      ['Hello', { ...hello, ramBytes: '320K' }, 'body.ramBytes'],
      ['Hello', { ...hello, ramBytes: -1 }, 'body.ramBytes'],
      ['Hello', { ...hello, maxFrameBytes: 4095 }, 'body.maxFrameBytes'],
      ['Hello', { ...hello, runtime: { ...(hello.runtime as object), hostFunctions: ['a', 'a'] } }, 'body.runtime.hostFunctions'],
      ['Hello', { ...hello, runtime: { ...(hello.runtime as object), maxInstances: 65 } }, 'body.runtime.maxInstances'],
      ['Hello', { ...hello, firmware: '' }, 'body.firmware'],
      ['Hello', { ...hello, apps: 'none' }, 'body.apps'],
      ['Stop', { appId: 'x'.repeat(MAX_ID_BYTES + 1) }, 'body.appId'],
      ['Stop', { appId: 'has space' }, 'body.appId'],
      ['Stop', { appId: null }, 'body.appId'],
      ['Stop', {}, 'body.appId'],
      ['Heartbeat', { seq: 0, uptimeMs: 0, freeMemoryBytes: 0, apps: [] }, 'body.seq'],
      ['Heartbeat', { seq: 1, uptimeMs: 2n ** 60n, freeMemoryBytes: 0, apps: [] }, 'body.uptimeMs'],
      ['Heartbeat', { seq: 1, uptimeMs: 0, freeMemoryBytes: 0, apps: [{ appId: 'a', revision: 1, sha256: new Uint8Array(32), state: 'paused', restarts: 0 }] }, 'body.apps[0].state'],
      ['ModuleRequest', { appId: 'a', revision: 1, offset: 0, maxBytes: MAX_CHUNK_DATA_BYTES + 1 }, 'body.maxBytes'],
      ['ModuleChunk', { appId: 'a', revision: 1, offset: 0, data: new Uint8Array(0), totalBytes: 1 }, 'body.data'],
      ['ModuleChunk', { appId: 'a', revision: 1, offset: 1, data: new Uint8Array(2), totalBytes: 2 }, 'body.data'],
      ['DeployResult', { appId: 'a', revision: 1, ok: false }, 'body.error'],
      ['DeployResult', { appId: 'a', revision: 1, ok: true, sha256: new Uint8Array(32), error: { code: 'x', message: '' } }, 'body.error'],
      ['StopResult', { appId: 'a', ok: false }, 'body.error'],
      ['Error', { code: 'Not-A-Code', message: '', fatal: true }, 'body.code'],
      ['Error', { code: 'internal', message: '', fatal: 1 }, 'body.fatal'],
      ['AppLog', { appId: 'a', level: 'info', message: 'x'.repeat(1025), timeMs: 0 }, 'body.message'],
      ['Bye', { reason: 'revoked', retryAfterMs: 999 }, 'body.retryAfterMs'],
      ['Bye', { reason: 'rebalance', retryAfterMs: 0, endpoint: 'gw-2:4423' }, 'body.retryAfterMs'],
      ['Bye', { reason: 'rebalance', endpoint: 'gw-2:0' }, 'body.endpoint'],
      ['Bye', { reason: 'rebalance', endpoint: 'gw-2:04423' }, 'body.endpoint'],
      ['Bye', { reason: 'rebalance', endpoint: 'gw-2:99999' }, 'body.endpoint'],
      ['Bye', { reason: 'rebalance', endpoint: '::1:4423' }, 'body.endpoint'],
      ['Bye', { reason: 'rebalance', endpoint: 'gw 2:4423' }, 'body.endpoint'],
      ['Bye', { reason: 'rebalance', endpoint: `${'a'.repeat(254)}:4423` }, 'body.endpoint'],
      ['Hello', { ...hello, features: ['Redirect'] }, 'body.features[0]'],
      ['Hello', { ...hello, features: Array.from({ length: 17 }, (_, i) => `f${i}`) }, 'body.features'],
      ['Welcome', { deviceId: 'd', gatewayId: 'g', heartbeatIntervalMs: 600_001, serverTimeMs: 0 }, 'body.heartbeatIntervalMs'],
    ];
    for (const [type, body, path] of cases) {
      const err = protocolError(() => decodeMessage(raw(type, body, 4)));
      expect({ type, path: err.info.path, code: err.protocolCode, msgId: err.info.msgId }).toEqual({ type, path, code: 'invalid_message', msgId: 4 });
    }
  });

  it('reads the endpoint of a Bye as host:port, with a DNS name, an IPv4 or a bracketed IPv6 host', () => {
    for (const endpoint of ['gw-eu-2.example.net:4423', '10.0.0.7:1', '[2001:db8::7]:65535', 'localhost:4423']) {
      const decoded = decodeGatewayMessage(raw('Bye', { reason: 'rebalance', endpoint }));
      expect(decoded.body).toEqual({ reason: 'rebalance', endpoint });
    }
  });

  it('keeps the features a device announces, and Hello without any still decodes', () => {
    const hello = sampleMessage('hello').body;
    expect(decodeMessage(raw('Hello', { ...hello, features: ['redirect', 'later_feature'] })).body).toEqual({ ...hello, features: ['redirect', 'later_feature'] });
    expect(decodeMessage(raw('Hello', hello)).body).not.toHaveProperty('features');
  });

  it('counts text limits in UTF-8 bytes, not characters', () => {
    const log = (message: string) => raw('AppLog', { appId: 'a', level: 'info', message, timeMs: 0 });
    expect(() => decodeMessage(log('é'.repeat(512)))).not.toThrow();
    expect(protocolError(() => decodeMessage(log('é'.repeat(513)))).info.path).toBe('body.message');
  });

  it('refuses to encode an invalid message, naming the field', () => {
    const bad = { type: 'Stop', msgId: 1, correlationId: 0, body: { appId: '' } } as Message;
    expect(protocolError(() => encodeMessage(bad))).toMatchObject({ protocolCode: 'invalid_message', info: { path: 'body.appId' } });
    expect(protocolError(() => encodeMessage({ ...bad, msgId: 0 }))).toMatchObject({ info: { path: 'msgId' } });
    expect(protocolError(() => encodeMessage({ ...bad, type: 'Nope' } as unknown as Message))).toMatchObject({ protocolCode: 'unknown_type' });
    const lone = { type: 'AppLog', msgId: 1, correlationId: 0, body: { appId: 'a', level: 'info', message: '\ud800', timeMs: 0 } } as Message;
    expect(protocolError(() => encodeMessage(lone))).toMatchObject({ info: { path: 'body.message' } });
  });

  it('checks the direction when asked', () => {
    const welcome = encodeMessage(sampleMessage('welcome'));
    const hello = encodeMessage(sampleMessage('hello'));
    const error = encodeMessage(sampleMessage('error-unknown-type'));
    expect(protocolError(() => decodeDeviceMessage(welcome))).toMatchObject({ protocolCode: 'unexpected_message', fatal: true, info: { msgId: 1, typeCode: 2 } });
    expect(protocolError(() => decodeGatewayMessage(hello))).toMatchObject({ protocolCode: 'unexpected_message' });
    expect(decodeDeviceMessage(hello).type).toBe('Hello');
    expect(decodeGatewayMessage(welcome).type).toBe('Welcome');
    expect(decodeDeviceMessage(error).type).toBe('Error');
    expect(decodeGatewayMessage(error).type).toBe('Error');
  });
});

describe('chunk sizing', () => {
  it('MODULE_CHUNK_OVERHEAD_BYTES covers the largest possible non-data part of a ModuleChunk', () => {
    const data = new Uint8Array(maxChunkDataBytes(GATEWAY_MAX_FRAME_BYTES));
    const worst: Message = {
      type: 'ModuleChunk',
      msgId: MAX_MSG_ID,
      correlationId: MAX_MSG_ID,
      body: { appId: 'a'.repeat(MAX_ID_BYTES), revision: MAX_U32, offset: MAX_U32 - 1 - data.length, data, totalBytes: MAX_U32 },
    };
    expect(encodeMessage(worst).length - data.length).toBe(MODULE_CHUNK_OVERHEAD_BYTES);
  });

  it('fills a 4 KiB device frame exactly at worst', () => {
    const data = new Uint8Array(maxChunkDataBytes(4096));
    const message: Message = {
      type: 'ModuleChunk',
      msgId: MAX_MSG_ID,
      correlationId: MAX_MSG_ID,
      body: { appId: 'a'.repeat(MAX_ID_BYTES), revision: MAX_U32, offset: 1_000_000, data, totalBytes: MAX_U32 },
    };
    expect(encodeMessage(message).length).toBe(4096);
    expect(maxChunkDataBytes(1_000_000)).toBe(MAX_CHUNK_DATA_BYTES);
  });
});
