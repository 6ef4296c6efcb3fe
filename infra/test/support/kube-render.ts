import { parseAllDocuments } from 'yaml';
import { isObject, walk, type Json, type JsonObject } from './json';
import { kindOf, nameOf } from './kustomize-lite';

/** The objects of a multi-document YAML text (kubectl kustomize's output). */
export function parseObjects(text: string): JsonObject[] {
  return parseAllDocuments(text).flatMap((doc) => {
    const value: unknown = doc.toJS();
    return isObject(value) ? [value] : [];
  });
}

/**
 * kustomize's output with generated ConfigMaps named as kustomize-lite names
 * them: `<name>-<content hash>` → `<name>`, wherever the name is referenced.
 */
export function withoutNameHashes(objects: readonly JsonObject[], generated: ReadonlySet<string>): JsonObject[] {
  const renames = new Map<string, string>();
  for (const o of objects) {
    const m = /^(.*)-[a-z0-9]{10}$/.exec(nameOf(o));
    if (kindOf(o) === 'ConfigMap' && m !== null && generated.has(m[1] as string)) renames.set(nameOf(o), m[1] as string);
  }
  const copy = structuredClone(objects) as JsonObject[];
  for (const o of copy) {
    for (const { path, value } of [...walk(o)]) {
      if (typeof value !== 'string' || !renames.has(value)) continue;
      let parent: Json = o;
      for (const key of path.slice(0, -1)) parent = (Array.isArray(parent) ? parent[Number(key)] : (parent as JsonObject)[key]) as Json;
      const last = path.at(-1) as string;
      if (Array.isArray(parent)) parent[Number(last)] = renames.get(value) as string;
      else (parent as JsonObject)[last] = renames.get(value) as string;
    }
  }
  return copy;
}

/** Objects keyed `Kind namespace/name`, for order-free comparison. */
export function byIdentity(objects: readonly JsonObject[]): Record<string, JsonObject> {
  return Object.fromEntries(
    objects.map((o) => {
      const namespace = isObject(o.metadata) && typeof o.metadata.namespace === 'string' ? o.metadata.namespace : '';
      return [`${kindOf(o)} ${namespace}/${nameOf(o)}`, o];
    }),
  );
}
