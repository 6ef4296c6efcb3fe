import { MAX_MODULE_BYTES, sha256Hex } from '@wasmbed/device-bus';
import { InvalidModule } from './errors';

/** What the spec says about the module it carries inline. */
export interface DeclaredModule {
  /** Lowercase hex. */
  readonly sha256: string;
  readonly sizeBytes: number;
}

/**
 * Checks module bytes sent inline before they are stored: at most
 * MAX_MODULE_BYTES, exactly the declared size and SHA-256, and a valid
 * WebAssembly module. Devices check the hash again; the size and validity
 * checks spare them a transfer that could only fail.
 */
export function checkInlineModule(declared: DeclaredModule, content: Uint8Array): void {
  if (content.length > MAX_MODULE_BYTES) {
    throw new InvalidModule(`spec.module.inlineContent has ${content.length} bytes; a module may have at most ${MAX_MODULE_BYTES} bytes`);
  }
  if (content.length !== declared.sizeBytes) {
    throw new InvalidModule(`spec.module.sizeBytes is ${declared.sizeBytes} but spec.module.inlineContent has ${content.length} bytes`);
  }
  const actual = sha256Hex(content);
  if (actual !== declared.sha256) {
    throw new InvalidModule(`spec.module.sha256 is ${declared.sha256} but the SHA-256 of spec.module.inlineContent is ${actual}`);
  }
  if (!WebAssembly.validate(content)) throw new InvalidModule(`module is not valid WebAssembly: ${compileError(content)}`);
}

/** validate() only says no; compiling says why. */
function compileError(content: Uint8Array): string {
  try {
    new WebAssembly.Module(content);
    return 'rejected by WebAssembly.validate';
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}
