import { createHash } from 'node:crypto';
import {
  EnrollmentRefused,
  InvalidCommand,
  isEnrolled,
  NAME_PATTERN,
  type Device,
  type DeviceCapabilities,
  type DeviceState,
} from '@wasmbed/domain';
import type { HelloBody } from '@wasmbed/protocol';

/** A device name derived from its key when it brings no usable one: stable across reconnects. */
export function keyDerivedDeviceId(publicKeyHex: string): string {
  return `dev-${createHash('sha256').update(Buffer.from(publicKeyHex, 'hex')).digest('hex').slice(0, 12)}`;
}

/**
 * The name to enroll a key under: the device registered (or enrolled) with this
 * key; else its certificate CN when that is a valid name nobody holds; else a
 * name derived from the key. The key, never a message field, is the identity.
 */
export function deviceIdFor(
  publicKeyHex: string,
  commonName: string | undefined,
  lookup: { deviceWithKey(key: string): Device | undefined; device(id: string): Device | undefined },
): string {
  const known = lookup.deviceWithKey(publicKeyHex);
  if (known !== undefined) return known.deviceId;
  if (commonName !== undefined && NAME_PATTERN.test(commonName)) {
    const holder = lookup.device(commonName);
    if (holder === undefined || holder.publicKey === publicKeyHex) return commonName;
  }
  return keyDerivedDeviceId(publicKeyHex);
}

/** What Hello tells about the device, as the domain records it. */
export function capabilitiesOf(hello: HelloBody): DeviceCapabilities {
  return {
    firmware: hello.firmware,
    board: hello.board,
    arch: hello.arch,
    ramBytes: hello.ramBytes,
    maxModuleBytes: hello.runtime.maxModuleBytes,
    maxInstances: hello.runtime.maxInstances,
    hostFunctions: [...hello.runtime.hostFunctions],
  };
}

export type EnrollmentOutcome =
  | { readonly kind: 'welcome'; readonly deviceId: string }
  | { readonly kind: 'pending'; readonly deviceId: string }
  | { readonly kind: 'rejected'; readonly deviceId: string; readonly code: string; readonly reason: string };

/** What the device's state after RequestEnrollment means for the session. */
export function outcomeOf(deviceId: string, state: DeviceState): EnrollmentOutcome {
  if (state.status === 'Initial') return { kind: 'rejected', deviceId, code: 'not_enrolled', reason: 'the device is not known' };
  if (isEnrolled(state)) return { kind: 'welcome', deviceId };
  if (state.status === 'Enrolling') return { kind: 'pending', deviceId };
  if (state.status === 'Revoked') {
    return { kind: 'rejected', deviceId, code: state.revocation?.rejected ? 'denied' : 'revoked', reason: state.revocation?.reason ?? 'revoked' };
  }
  return { kind: 'rejected', deviceId, code: 'not_enrolled', reason: `the device is ${state.status}` };
}

const REFUSAL_CODES: Record<EnrollmentRefused['reason'], string> = {
  'public key does not match': 'key_mismatch',
  'pairing mode is off': 'pairing_disabled',
  'device is revoked': 'revoked',
};

/** A refusal by the domain as Rejected's code and reason; undefined for errors that are not a refusal. */
export function refusalOf(deviceId: string, err: unknown): EnrollmentOutcome | undefined {
  if (err instanceof EnrollmentRefused) return { kind: 'rejected', deviceId, code: REFUSAL_CODES[err.reason], reason: err.reason };
  // Hello passed the protocol's checks but not the domain's (e.g. a longer arch than it records).
  if (err instanceof InvalidCommand) return { kind: 'rejected', deviceId, code: 'invalid_hello', reason: err.message.slice(0, 256) };
  return undefined;
}
