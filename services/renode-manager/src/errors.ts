import { WasmbedError } from '@wasmbed/errors';

/** A board name the catalogue does not know. */
export class UnknownBoardError extends WasmbedError {
  readonly code = 'invalid_argument' as const;
  constructor(board: string, known: readonly string[]) {
    super(`unknown board '${board}': known boards are ${known.join(', ')}`, { board, known });
  }
}

/** The board is known, but no backend installed on this machine can run it (or not the one asked for). */
export class NoBackendForBoardError extends WasmbedError {
  readonly code = 'failed_precondition' as const;
  constructor(board: string, why: string) {
    super(`board ${board}: no installed backend can run it (${why})`, { board });
  }
}

/** The firmware image for the board has not been built. */
export class FirmwareNotBuiltError extends WasmbedError {
  readonly code = 'failed_precondition' as const;
  constructor(board: string, elf: string, target: string) {
    super(`board ${board}: firmware ${elf} is missing; build it with 'make -C firmware ${target}'`, { board, elf });
  }
}

export class EmulatedDeviceNotFoundError extends WasmbedError {
  readonly code = 'not_found' as const;
  constructor(name: string) {
    super(`no emulated device '${name}' on this renode-manager`, { name });
  }
}

export class EmulatedDeviceExistsError extends WasmbedError {
  readonly code = 'already_exists' as const;
  constructor(name: string) {
    super(`emulated device '${name}' already exists on this renode-manager`, { name });
  }
}

/** The request is not allowed in the device's current phase (e.g. start while it is being created). */
export class InvalidLifecycleTransitionError extends WasmbedError {
  readonly code = 'failed_precondition' as const;
  constructor(action: string, name: string, phase: string) {
    super(`cannot ${action}: emulated device '${name}' is ${phase}`, { name, phase });
  }
}

/** The emulator process could not be started or did not attach its serial ports in time. */
export class EmulatorStartError extends WasmbedError {
  readonly code = 'unavailable' as const;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, {}, options);
  }
}

/** Too many emulated devices for this manager's configured limit. */
export class DeviceLimitError extends WasmbedError {
  readonly code = 'resource_exhausted' as const;
  constructor(limit: number) {
    super(`this renode-manager runs at most ${limit} emulated devices (WASMBED_EMU_MAX_DEVICES)`, { limit });
  }
}
