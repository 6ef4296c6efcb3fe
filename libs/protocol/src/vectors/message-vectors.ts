import type { ProtocolErrorCode } from '../errors';
import { encodeFrame } from '../framing';
import { GATEWAY_MAX_FRAME_BYTES, PROTOCOL_VERSION } from '../limits';
import { MESSAGE_CATALOG } from '../messages/catalog';
import { encodeMessage } from '../messages/codec';
import type { Message } from '../messages/types';
import { bytesToHex, toJsonForm } from './json-form';
import { canonical, concat, entries, head, indefiniteMap, mapInOrder } from './raw-cbor';
import { SAMPLE_HELLO_BODY, SAMPLE_MANIFEST, SAMPLE_MESSAGES, SAMPLE_MODULE, sampleMessage } from './samples';
import { VECTOR_FORMAT, type MessageVector, type VectorFile } from './vector-types';

/** The JSON meaning of a message: its envelope spelled out, body in JSON form. */
export function messageJson(message: Message) {
  return toJsonForm({
    version: PROTOCOL_VERSION,
    type: message.type,
    typeCode: MESSAGE_CATALOG[message.type].code,
    msgId: message.msgId,
    correlationId: message.correlationId,
    body: message.body,
  });
}

/** An envelope around an already encoded body. */
function envelope(typeCode: number, msgId: number, body: Uint8Array, version = PROTOCOL_VERSION, correlationId = 0): Uint8Array {
  return concat(head(4, 5), canonical(version), canonical(typeCode), canonical(msgId), canonical(correlationId), body);
}

function frameHex(payload: Uint8Array): string {
  return bytesToHex(encodeFrame(payload));
}

const STOP = MESSAGE_CATALOG.Stop.code;
const stopBody = { appId: 'blinky' };
const stopPayload = envelope(STOP, 5, canonical(stopBody));

function invalid(name: string, description: string, payload: Uint8Array, error: ProtocolErrorCode, path?: string): MessageVector {
  return { name, description, hex: frameHex(payload), error, ...(path ? { path } : {}) };
}

function nested(depth: number): Uint8Array {
  return concat(...Array.from({ length: depth }, () => head(4, 1)), canonical(0));
}

const heartbeat = sampleMessage('heartbeat');
const heartbeatApp = (heartbeat.body as { apps: readonly object[] }).apps[0];

function invalidVectors(): MessageVector[] {
  const H = MESSAGE_CATALOG;
  return [
    invalid('invalid-cbor-truncated', 'The CBOR item ends early (last byte of a Stop missing).', stopPayload.subarray(0, stopPayload.length - 1), 'invalid_cbor'),
    invalid('invalid-cbor-trailing-bytes', 'A byte after the one data item.', concat(stopPayload, Uint8Array.of(0x00)), 'invalid_cbor'),
    invalid(
      'invalid-cbor-indefinite-envelope',
      'Envelope as an indefinite-length array: definite lengths only.',
      concat(Uint8Array.of(0x9f), envelope(STOP, 5, canonical(stopBody)).subarray(1), Uint8Array.of(0xff)),
      'invalid_cbor',
    ),
    invalid(
      'invalid-cbor-indefinite-text',
      'appId as an indefinite-length text string.',
      envelope(STOP, 5, mapInOrder([[canonical('appId'), concat(Uint8Array.of(0x7f), canonical('blinky'), Uint8Array.of(0xff))]])),
      'invalid_cbor',
    ),
    invalid('invalid-cbor-indefinite-map', 'Body as an indefinite-length map.', envelope(STOP, 5, indefiniteMap(entries(stopBody))), 'invalid_cbor'),
    invalid(
      'invalid-cbor-tag',
      'A tag (0, date/time) around appId: no tags anywhere.',
      envelope(STOP, 5, mapInOrder([[canonical('appId'), concat(head(6, 0), canonical('blinky'))]])),
      'invalid_cbor',
    ),
    invalid(
      'invalid-cbor-duplicate-key',
      'appId twice in one map.',
      envelope(STOP, 5, mapInOrder([...entries(stopBody), ...entries({ appId: 'other' })])),
      'invalid_cbor',
    ),
    invalid(
      'invalid-cbor-integer-key',
      'A map key that is not a text string (even an unknown one).',
      envelope(STOP, 5, mapInOrder([...entries(stopBody), [canonical(1), canonical(2)]])),
      'invalid_cbor',
    ),
    invalid(
      'invalid-cbor-bad-utf8',
      'appId is not valid UTF-8.',
      envelope(STOP, 5, mapInOrder([[canonical('appId'), concat(head(3, 2), Uint8Array.of(0xc3, 0x28))]])),
      'invalid_cbor',
    ),
    invalid(
      'invalid-cbor-undefined',
      'The simple value undefined, inside a key the receiver would ignore: the data model is checked everywhere.',
      envelope(STOP, 5, mapInOrder([...entries(stopBody), [canonical('future'), Uint8Array.of(0xf7)]])),
      'invalid_cbor',
    ),
    invalid(
      'invalid-cbor-too-deep',
      'Arrays nested 17 deep inside an unknown key (the limit is 16, envelope included).',
      envelope(STOP, 5, mapInOrder([...entries(stopBody), [canonical('future'), nested(15)]])),
      'invalid_cbor',
    ),
    invalid('invalid-message-envelope-map', 'The envelope is a map, not an array.', canonical({ type: STOP }), 'invalid_message', 'envelope'),
    invalid(
      'invalid-message-envelope-4-items',
      'The envelope lacks the body.',
      concat(head(4, 4), canonical(1), canonical(STOP), canonical(5), canonical(0)),
      'invalid_message',
      'envelope',
    ),
    invalid('invalid-message-msgid-zero', 'msgId 0 (ids start at 1).', envelope(STOP, 0, canonical(stopBody)), 'invalid_message', 'msgId'),
    invalid('invalid-message-body-array', 'The body is an array.', envelope(STOP, 5, canonical(['blinky'])), 'invalid_message', 'body'),
    invalid(
      'invalid-message-wrong-field-type',
      'Hello.ramBytes as text.',
      envelope(H.Hello.code, 1, mapInOrder(entries(SAMPLE_HELLO_BODY, { ramBytes: canonical('320K') }))),
      'invalid_message',
      'body.ramBytes',
    ),
    invalid(
      'invalid-message-out-of-range',
      'Welcome.heartbeatIntervalMs of 10 (the minimum is 1000).',
      envelope(
        H.Welcome.code,
        1,
        mapInOrder(entries({ deviceId: 'dev-7f3a', gatewayId: 'gw-eu-1', heartbeatIntervalMs: 10, serverTimeMs: 0 })),
        PROTOCOL_VERSION,
        1,
      ),
      'invalid_message',
      'body.heartbeatIntervalMs',
    ),
    invalid(
      'invalid-message-short-hash',
      'A 31-byte sha256 in a Heartbeat app summary.',
      envelope(
        H.Heartbeat.code,
        2,
        mapInOrder(entries(heartbeat.body, { apps: concat(head(4, 1), mapInOrder(entries(heartbeatApp, { sha256: canonical(new Uint8Array(31)) }))) })),
      ),
      'invalid_message',
      'body.apps[0].sha256',
    ),
    invalid('invalid-message-missing-field', 'Stop without appId.', envelope(STOP, 5, canonical({})), 'invalid_message', 'body.appId'),
    invalid(
      'invalid-message-float-for-integer',
      'Heartbeat.seq as the half-precision float 1.0: integers must be CBOR integers.',
      envelope(H.Heartbeat.code, 2, mapInOrder(entries(heartbeat.body, { seq: Uint8Array.of(0xf9, 0x3c, 0x00) }))),
      'invalid_message',
      'body.seq',
    ),
    invalid(
      'invalid-message-ok-without-hash',
      'DeployResult ok=true without sha256.',
      envelope(H.DeployResult.code, 4, canonical({ appId: 'blinky', revision: 3, ok: true }), PROTOCOL_VERSION, 3),
      'invalid_message',
      'body.sha256',
    ),
    invalid(
      'invalid-message-null-optional',
      'DeployResult.error as null: an optional field is absent, never null.',
      envelope(H.DeployResult.code, 4, canonical({ appId: 'blinky', revision: 3, ok: true, sha256: SAMPLE_MANIFEST.sha256, error: null }), PROTOCOL_VERSION, 3),
      'invalid_message',
      'body.error',
    ),
    invalid(
      'invalid-message-chunk-past-end',
      'ModuleChunk whose data runs past totalBytes.',
      envelope(H.ModuleChunk.code, 4, canonical({ appId: 'blinky', revision: 3, offset: 20, data: SAMPLE_MODULE.subarray(0, 16), totalBytes: SAMPLE_MODULE.length }), PROTOCOL_VERSION, 3),
      'invalid_message',
      'body.data',
    ),
    invalid(
      'invalid-message-bad-enum',
      'AppLog.level "trace" is not a level.',
      envelope(H.AppLog.code, 6, canonical({ appId: 'blinky', level: 'trace', message: 'x', timeMs: 0 })),
      'invalid_message',
      'body.level',
    ),
    invalid(
      'invalid-message-bye-endpoint-port',
      'Bye.endpoint with port 65536 (ports are 1 to 65535).',
      envelope(H.Bye.code, 8, canonical({ reason: 'rebalance', endpoint: 'gw-eu-2.example.net:65536' })),
      'invalid_message',
      'body.endpoint',
    ),
    invalid(
      'invalid-message-bye-endpoint-no-port',
      'Bye.endpoint without a port.',
      envelope(H.Bye.code, 8, canonical({ reason: 'rebalance', endpoint: 'gw-eu-2.example.net' })),
      'invalid_message',
      'body.endpoint',
    ),
    invalid(
      'invalid-message-repeated-feature',
      'Hello.features naming "redirect" twice.',
      envelope(H.Hello.code, 1, canonical({ ...SAMPLE_HELLO_BODY, features: ['redirect', 'redirect'] })),
      'invalid_message',
      'body.features',
    ),
    invalid('unsupported-version', 'Envelope version 2.', envelope(STOP, 5, canonical(stopBody), 2), 'unsupported_version'),
    invalid('unknown-type', 'Type 99 (msgId 7): answered with a non-fatal Error unknown_type.', envelope(99, 7, canonical({ x: 1 })), 'unknown_type'),
  ];
}

/** Valid but unusual encodings a receiver must accept. */
function tolerantVectors(): MessageVector[] {
  const hello = sampleMessage('hello');
  const withFutureKey = envelope(
    MESSAGE_CATALOG.Hello.code,
    1,
    mapInOrder([...entries(hello.body), [canonical('futureField'), canonical({ nested: [1, 2, 3], flag: true })]]),
  );
  const stopLoose = concat(
    head(4, 5),
    head(0, 1, 1),
    head(0, STOP, 2),
    head(0, 5, 4),
    head(0, 0, 8),
    concat(head(5, 1, 1), head(3, 5, 1), Buffer.from('appId'), head(3, 6, 2), Buffer.from('blinky')),
  );
  return [
    {
      name: 'hello-with-unknown-key',
      description: 'A key this version does not define is ignored (forward compatibility).',
      hex: frameHex(withFutureKey),
      decoded: messageJson(hello),
    },
    {
      name: 'stop-not-deterministic',
      description: 'Non-shortest integers and lengths: valid in messages (only manifests must be deterministic).',
      hex: frameHex(stopLoose),
      decoded: messageJson({ type: 'Stop', msgId: 5, correlationId: 0, body: stopBody }),
    },
  ];
}

export function buildMessageVectors(): VectorFile<MessageVector> {
  const valid = SAMPLE_MESSAGES.map(({ name, description, message }) => ({
    name,
    description,
    hex: frameHex(encodeMessage(message)),
    decoded: messageJson(message),
  }));
  return {
    format: VECTOR_FORMAT,
    description: `One frame per vector, received with a limit of ${GATEWAY_MAX_FRAME_BYTES} bytes. Valid frames decode to "decoded"; invalid ones fail with "error".`,
    vectors: [...valid, ...tolerantVectors(), ...invalidVectors()],
  };
}
