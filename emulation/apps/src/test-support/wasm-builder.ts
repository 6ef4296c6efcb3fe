// Assembles small WebAssembly binaries by hand, so unit tests can feed the
// module checks exactly the construct under test (MVP or not).

export const I32 = 0x7f;
export const I64 = 0x7e;

export function uleb(value: number): number[] {
  const out: number[] = [];
  let v = value;
  do {
    const b = v % 128;
    v = Math.floor(v / 128);
    out.push(v === 0 ? b : b | 0x80);
  } while (v !== 0);
  return out;
}

export function vec(items: readonly number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

export function name(text: string): number[] {
  return vec([...new TextEncoder().encode(text)].map((b) => [b]));
}

export interface FuncSpec {
  readonly type: number;
  /** Instructions without the final `end`. */
  readonly body: readonly number[];
  readonly locals?: readonly [count: number, type: number][];
}

export interface ModuleSpec {
  readonly types?: readonly [params: number[], results: number[]][];
  /** Function imports. */
  readonly imports?: readonly { module: string; name: string; type: number }[];
  /** Raw import entries (after the function imports), for non-function kinds. */
  readonly rawImports?: readonly number[][];
  readonly funcs?: readonly FuncSpec[];
  /** One memory: [initial] or [initial, maximum]. */
  readonly memory?: readonly [number] | readonly [number, number];
  /** Raw global entries (type, mutability, init expression with end). */
  readonly globals?: readonly number[][];
  readonly exports?: readonly { name: string; kind: 'func' | 'memory' | 'global'; index: number }[];
  readonly start?: number;
  /** Raw sections by id, emitted in the binary's section order. */
  readonly raw?: Readonly<Record<number, number[]>>;
}

const SECTION_ORDER = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];
const KIND = { func: 0, memory: 2, global: 3 } as const;

function limits(memory: readonly number[]): number[] {
  return memory.length === 2 ? [0x01, ...uleb(memory[0]), ...uleb(memory[1])] : [0x00, ...uleb(memory[0])];
}

export function buildModule(spec: ModuleSpec): Uint8Array<ArrayBuffer> {
  const sections: Record<number, number[]> = { ...spec.raw };
  if (spec.types) sections[1] = vec(spec.types.map(([p, r]) => [0x60, ...vec(p.map((t) => [t])), ...vec(r.map((t) => [t]))]));
  const imports = (spec.imports ?? []).map((i) => [...name(i.module), ...name(i.name), 0x00, ...uleb(i.type)]);
  if (imports.length + (spec.rawImports?.length ?? 0) > 0) sections[2] = vec([...imports, ...(spec.rawImports ?? [])]);
  if (spec.funcs) sections[3] = vec(spec.funcs.map((f) => uleb(f.type)));
  if (spec.memory) sections[5] = vec([limits(spec.memory)]);
  if (spec.globals) sections[6] = vec(spec.globals.map((g) => [...g]));
  if (spec.exports) sections[7] = vec(spec.exports.map((e) => [...name(e.name), KIND[e.kind], ...uleb(e.index)]));
  if (spec.start !== undefined) sections[8] = uleb(spec.start);
  if (spec.funcs) {
    sections[10] = vec(
      spec.funcs.map((f) => {
        const body = [...vec((f.locals ?? []).map(([n, t]) => [...uleb(n), t])), ...f.body, 0x0b];
        return [...uleb(body.length), ...body];
      }),
    );
  }
  const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  for (const id of SECTION_ORDER) {
    const payload = sections[id];
    if (payload !== undefined) bytes.push(id, ...uleb(payload.length), ...payload);
  }
  return new Uint8Array(bytes);
}

/** A module that passes every ABI check: memory 1 page, `run` calling nothing. */
export function minimalApp(overrides: Partial<ModuleSpec> = {}): Uint8Array<ArrayBuffer> {
  return buildModule({
    types: [[[], []]],
    funcs: [{ type: 0, body: [] }],
    memory: [1],
    exports: [
      { name: 'memory', kind: 'memory', index: 0 },
      { name: 'run', kind: 'func', index: 0 },
    ],
    ...overrides,
  });
}
