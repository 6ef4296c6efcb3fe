import * as fs from 'node:fs';
import * as path from 'node:path';
import { exampleApp } from './catalog';
import { ExampleAppNotBuilt } from './errors';

// src/ (under jest) and dist/ (compiled) are siblings, so one relative path serves both.
const WASM_DIR = path.resolve(__dirname, '..', 'dist', 'wasm');

/** Absolute path of an example app's module (which exists only after the package's build). */
export function exampleAppPath(name: string): string {
  return path.join(WASM_DIR, `${exampleApp(name).name}.wasm`);
}

/** The module bytes of an example app; ExampleAppNotBuilt when the build has not run. */
export function loadExampleApp(name: string): Uint8Array<ArrayBuffer> {
  return readBuiltModule(exampleAppPath(name));
}

export function readBuiltModule(file: string): Uint8Array<ArrayBuffer> {
  try {
    const buf = fs.readFileSync(file);
    // A file read is never backed by a SharedArrayBuffer.
    return new Uint8Array(buf.buffer as ArrayBuffer, buf.byteOffset, buf.byteLength);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ExampleAppNotBuilt(file);
    throw err;
  }
}
