import { InvalidModule } from './errors';
import { encodeUleb, ownBytes, readSections, type WasmReader } from './wasm-reader';

const MEMORY_SECTION = 5;

/**
 * The module with its memory maximum lowered to maxPages (kept when already
 * lower), so that memory.grow past the limit returns -1 as the ABI requires.
 * A JS host cannot cap a memory the module defines in any other way.
 */
export function withMemoryMaximum(bytes: Uint8Array, maxPages: number): Uint8Array<ArrayBuffer> {
  const section = readSections(bytes).find((s) => s.id === MEMORY_SECTION);
  if (section === undefined) throw new InvalidModule('module defines no memory');
  const { initial, maximum } = readSingleMemory(section.payload);
  if (maximum !== null && maximum <= maxPages) return ownBytes(bytes);
  const payload = [1, 0x01, ...encodeUleb(initial), ...encodeUleb(maxPages)];
  const replacement = [MEMORY_SECTION, ...encodeUleb(payload.length), ...payload];
  const out = new Uint8Array(bytes.length - (section.end - section.start) + replacement.length);
  out.set(bytes.subarray(0, section.start), 0);
  out.set(replacement, section.start);
  out.set(bytes.subarray(section.end), section.start + replacement.length);
  return out;
}

function readSingleMemory(r: WasmReader): { initial: number; maximum: number | null } {
  if (r.uleb() !== 1) throw new InvalidModule('module must define exactly one memory');
  const flags = r.u8();
  if (flags > 1) throw new InvalidModule('memory must be an unshared 32-bit memory');
  const initial = r.uleb();
  return { initial, maximum: flags === 1 ? r.uleb() : null };
}
