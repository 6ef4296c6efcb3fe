import { scanFunctionBody, skipConstImmediate, valueType, type FeatureSink, type PostMvpFeature, type ValueType } from './mvp-code-scan';
import { readSections, type WasmReader } from './wasm-reader';

export type ExternKind = 'function' | 'table' | 'memory' | 'global';

export interface FuncType {
  readonly params: readonly ValueType[];
  readonly results: readonly ValueType[];
}

export interface ModuleImport {
  readonly module: string;
  readonly name: string;
  readonly kind: ExternKind | 'tag';
  /** For functions. */
  readonly type: FuncType | null;
}

export interface ModuleExport {
  readonly name: string;
  readonly kind: ExternKind | 'tag';
  /** For functions. */
  readonly type: FuncType | null;
}

export interface MemoryLimits {
  readonly initialPages: number;
  readonly maximumPages: number | null;
}

export interface ModuleInfo {
  readonly imports: readonly ModuleImport[];
  readonly exports: readonly ModuleExport[];
  /** Memories the module defines itself (imported ones are in imports). */
  readonly memories: readonly MemoryLimits[];
  readonly hasStartFunction: boolean;
  /** Features beyond WebAssembly 1.0 (MVP) the module uses, sorted; empty for an MVP module. */
  readonly postMvpFeatures: readonly PostMvpFeature[];
}

const EXTERN_KINDS = ['function', 'table', 'memory', 'global', 'tag'] as const;

const SECTION = { custom: 0, type: 1, import: 2, function: 3, table: 4, memory: 5, global: 6, export: 7, start: 8, element: 9, code: 10, data: 11, dataCount: 12, tag: 13 };

/** Mutable state of one inspection, filled section by section. */
class Inspection {
  readonly features = new Set<PostMvpFeature>();
  readonly use: FeatureSink = (f) => this.features.add(f);
  readonly types: FuncType[] = [];
  readonly funcTypes: (FuncType | null)[] = []; // function index space
  readonly globalMutable: boolean[] = []; // global index space
  readonly imports: ModuleImport[] = [];
  readonly exports: ModuleExport[] = [];
  readonly memories: MemoryLimits[] = [];
  tableCount = 0; // imported and defined
  memoryCount = 0; // imported and defined
  hasStart = false;
}

/**
 * Reads a module's interface and the post-MVP features it uses, without
 * instantiating it. Expects a module that WebAssembly.validate accepts; stops
 * reading a section at the first construct MVP cannot express.
 */
export function inspectModule(bytes: Uint8Array): ModuleInfo {
  const s = new Inspection();
  for (const { id, payload } of readSections(bytes)) {
    switch (id) {
      case SECTION.custom:
        break;
      case SECTION.type:
        readTypes(s, payload);
        break;
      case SECTION.import:
        readImports(s, payload);
        break;
      case SECTION.function:
        repeat(payload, () => void s.funcTypes.push(s.types[payload.uleb()] ?? null));
        break;
      case SECTION.table:
        readTables(s, payload);
        break;
      case SECTION.memory:
        readMemories(s, payload);
        break;
      case SECTION.global:
        readGlobals(s, payload);
        break;
      case SECTION.export:
        readExports(s, payload);
        break;
      case SECTION.start:
        s.hasStart = true;
        break;
      case SECTION.element:
        readElements(s, payload);
        break;
      case SECTION.code:
        repeat(payload, () => scanFunctionBody(payload.sub(payload.uleb()), s.use));
        break;
      case SECTION.data:
        readData(s, payload);
        break;
      case SECTION.dataCount:
        s.use('bulk-memory');
        break;
      case SECTION.tag:
        s.use('exceptions');
        break;
      default:
        s.use('unknown');
    }
  }
  return {
    imports: s.imports,
    exports: s.exports,
    memories: s.memories,
    hasStartFunction: s.hasStart,
    postMvpFeatures: [...s.features].sort(),
  };
}

/** Calls read once per element of a vector. */
function repeat(r: WasmReader, read: () => void): void {
  const count = r.uleb();
  for (let i = 0; i < count; i++) read();
}

/** Like repeat, but read returns false to stop at an element it cannot get past. */
function repeatWhile(r: WasmReader, read: () => boolean): void {
  const count = r.uleb();
  for (let i = 0; i < count && read(); i++);
}

function readTypes(s: Inspection, r: WasmReader): void {
  repeatWhile(r, () => {
    if (r.u8() !== 0x60) {
      s.use('unknown'); // GC composite types
      return false;
    }
    const params: ValueType[] = [];
    const results: ValueType[] = [];
    repeat(r, () => void params.push(valueType(r.u8(), s.use)));
    repeat(r, () => void results.push(valueType(r.u8(), s.use)));
    if (results.length > 1) s.use('multi-value');
    s.types.push({ params, results });
    return true;
  });
}

/** Table or memory limits; flags beyond 0/1 mean shared (threads) or 64-bit memory. */
function readLimits(s: Inspection, r: WasmReader): MemoryLimits {
  const flags = r.u8();
  if (flags & 0x02) s.use('threads');
  if (flags & 0x04) s.use('memory64');
  if (flags > 0x07) s.use('unknown');
  const initialPages = r.uleb(10);
  const maximumPages = flags & 0x01 ? r.uleb(10) : null;
  return { initialPages, maximumPages };
}

function readTableType(s: Inspection, r: WasmReader): void {
  if (r.u8() !== 0x70) s.use('reference-types');
  readLimits(s, r);
}

function readGlobalType(s: Inspection, r: WasmReader): boolean {
  valueType(r.u8(), s.use);
  return r.u8() === 0x01;
}

function readImports(s: Inspection, r: WasmReader): void {
  repeatWhile(r, () => {
    const module = r.name();
    const name = r.name();
    const kind = EXTERN_KINDS[r.u8()];
    let type: FuncType | null = null;
    switch (kind) {
      case 'function':
        type = s.types[r.uleb()] ?? null;
        s.funcTypes.push(type);
        break;
      case 'table':
        readTableType(s, r);
        s.tableCount++;
        break;
      case 'memory':
        readLimits(s, r);
        s.memoryCount++;
        break;
      case 'global': {
        const mutable = readGlobalType(s, r);
        if (mutable) s.use('mutable-globals');
        s.globalMutable.push(mutable);
        break;
      }
      default:
        s.use(kind === 'tag' ? 'exceptions' : 'unknown');
        return false;
    }
    s.imports.push({ module, name, kind, type });
    return true;
  });
}

function readTables(s: Inspection, r: WasmReader): void {
  repeat(r, () => {
    readTableType(s, r);
    s.tableCount++;
  });
  if (s.tableCount > 1) s.use('reference-types');
}

function readMemories(s: Inspection, r: WasmReader): void {
  repeat(r, () => {
    s.memories.push(readLimits(s, r));
    s.memoryCount++;
  });
  if (s.memoryCount > 1) s.use('multi-memory');
}

/** An MVP constant expression: one const or global.get, then end. False when it is anything else. */
function readConstExpr(s: Inspection, r: WasmReader): boolean {
  const op = r.u8();
  switch (op) {
    case 0x23: // global.get
      r.uleb();
      break;
    case 0xd0:
    case 0xd2:
      s.use('reference-types');
      return false;
    case 0xfd:
      s.use('simd');
      return false;
    default:
      if (skipConstImmediate(op, r)) break;
      s.use('unknown');
      return false;
  }
  if (r.u8() !== 0x0b) {
    s.use('extended-const');
    return false;
  }
  return true;
}

function readGlobals(s: Inspection, r: WasmReader): void {
  repeatWhile(r, () => {
    s.globalMutable.push(readGlobalType(s, r));
    return readConstExpr(s, r);
  });
}

function readExports(s: Inspection, r: WasmReader): void {
  repeat(r, () => {
    const name = r.name();
    const kind = EXTERN_KINDS[r.u8()] ?? 'tag';
    const index = r.uleb();
    if (kind === 'global' && s.globalMutable[index]) s.use('mutable-globals');
    if (kind === 'tag') s.use('exceptions');
    s.exports.push({ name, kind, type: kind === 'function' ? (s.funcTypes[index] ?? null) : null });
  });
}

function readElements(s: Inspection, r: WasmReader): void {
  repeatWhile(r, () => {
    // Flags other than 0 are the passive/declarative/expression forms of bulk memory and reference types.
    if (r.uleb() !== 0) {
      s.use('bulk-memory');
      return false;
    }
    if (!readConstExpr(s, r)) return false;
    repeat(r, () => void r.uleb());
    return true;
  });
}

function readData(s: Inspection, r: WasmReader): void {
  repeatWhile(r, () => {
    const flags = r.uleb();
    if (flags !== 0) {
      s.use('bulk-memory'); // passive segments, or an explicit memory index
      return false;
    }
    if (!readConstExpr(s, r)) return false;
    r.take(r.uleb());
    return true;
  });
}
