import { WasmbedError } from '@wasmbed/errors';

/** Module bytes sent inline that cannot be stored: wrong size or hash, or not WebAssembly. */
export class InvalidModule extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(readonly reason: string) {
    super(reason, { reason });
  }
}

/** A spec naming a module by `uri` whose bytes the module store does not hold. */
export class ModuleNotInStore extends WasmbedError {
  readonly code = 'failed_precondition' as const;
  constructor(readonly sha256: string) {
    super(
      `module ${sha256} not in the module store; upload it with inline_content (spec.module.inlineContent): the api downloads nothing from a uri`,
      { sha256 },
    );
  }
}

/** The publisher's signature is not a signature over the manifest of the revision being created. */
export class ManifestSignatureInvalid extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(
    readonly application: string,
    readonly revision: number,
  ) {
    super(
      `manifest_signature does not verify for revision ${revision} of application '${application}' ` +
        `(sign the manifest of revision ${revision} with the key in publisher_key; see "Admission" in the api README)`,
      { application, revision },
    );
  }
}

/** The spec cannot be expressed as a device manifest (so no device could verify or run it). */
export class ManifestNotEncodable extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(
    readonly application: string,
    readonly revision: number,
    readonly reason: string,
  ) {
    super(`the spec of revision ${revision} of application '${application}' is no valid device manifest: ${reason}`, { application, revision, reason });
  }
}

/** WASMBED_TRUSTED_PUBLISHER_KEYS is set and does not list the spec's publisher key. */
export class UntrustedPublisher extends WasmbedError {
  readonly code = 'failed_precondition' as const;
  constructor(readonly publisherKey: string) {
    super(
      `publisher key ${publisherKey} is not trusted by this api: sign with a trusted key, or ask an admin to add it to WASMBED_TRUSTED_PUBLISHER_KEYS`,
      { publisherKey },
    );
  }
}

export interface UnfitDevice {
  readonly device: string;
  readonly reasons: readonly string[];
}

/** Devices named as targets whose reported capabilities cannot run the revision. */
export class DevicesCannotRun extends WasmbedError {
  readonly code = 'failed_precondition' as const;
  constructor(
    /** e.g. "revision 2 of application 'blinky'". */
    readonly what: string,
    readonly devices: readonly UnfitDevice[],
  ) {
    const list = devices.map((d) => `${d.device} (${d.reasons.join('; ')})`).join(', ');
    super(`${what} cannot run on ${devices.length === 1 ? 'device' : `${devices.length} devices`} ${list}: name other devices, or change the spec`, {
      devices: devices.map((d) => ({ device: d.device, reasons: [...d.reasons] })),
    });
  }
}
