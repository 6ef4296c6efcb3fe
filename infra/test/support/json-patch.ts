import { isObject, type Json } from './json';

/** One RFC 6902 operation, as kustomize takes them in `patches`. */
export interface PatchOperation {
  readonly op: 'add' | 'replace' | 'remove';
  readonly path: string;
  readonly value?: Json;
}

export function parsePatch(ops: Json, source: string): PatchOperation[] {
  if (!Array.isArray(ops)) throw new Error(`${source}: only JSON 6902 patches (a list of operations) are supported`);
  return ops.map((op, i) => {
    if (!isObject(op) || typeof op.path !== 'string' || (op.op !== 'add' && op.op !== 'replace' && op.op !== 'remove')) {
      throw new Error(`${source}: operation ${i} must be {op: add|replace|remove, path, value?}`);
    }
    if (op.op !== 'remove' && !('value' in op)) throw new Error(`${source}: operation ${i} (${op.op}) needs a value`);
    return { op: op.op, path: op.path, value: op.value };
  });
}

function tokens(pointer: string): string[] {
  if (!pointer.startsWith('/')) throw new Error(`JSON pointer must start with '/': ${pointer}`);
  return pointer
    .slice(1)
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function arrayIndex(token: string, length: number, allowEnd: boolean, pointer: string): number {
  if (allowEnd && token === '-') return length;
  const index = /^(0|[1-9][0-9]*)$/.test(token) ? Number(token) : NaN;
  if (!(index < length || (allowEnd && index === length))) throw new Error(`index ${token} out of range at ${pointer}`);
  return index;
}

/** Applies the operations in order to `doc` (mutated), failing like kustomize on a missing path. */
export function applyPatch(doc: Json, ops: readonly PatchOperation[]): void {
  for (const { op, path, value } of ops) {
    const keys = tokens(path);
    const last = keys.pop() as string;
    let parent: Json = doc;
    for (const key of keys) {
      const next: Json | undefined = Array.isArray(parent)
        ? parent[arrayIndex(key, parent.length, false, path)]
        : isObject(parent)
          ? parent[key]
          : undefined;
      if (next === undefined) throw new Error(`path ${path} does not exist (at ${key})`);
      parent = next;
    }
    if (Array.isArray(parent)) {
      const index = arrayIndex(last, parent.length, op === 'add', path);
      if (op === 'add') parent.splice(index, 0, structuredClone(value as Json));
      else if (op === 'replace') parent[index] = structuredClone(value as Json);
      else parent.splice(index, 1);
    } else if (isObject(parent)) {
      if (op !== 'add' && !(last in parent)) throw new Error(`path ${path} does not exist`);
      if (op === 'remove') delete parent[last];
      else parent[last] = structuredClone(value as Json);
    } else {
      throw new Error(`path ${path} does not lead into an object or array`);
    }
  }
}
