import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { applyPatch, parsePatch } from './json-patch';
import { arrayAt, isObject, objectAt, stringAt, type Json, type JsonObject } from './json';

/**
 * A small reader for the subset of kustomize our manifests use, so unit tests can
 * check the rendered base and overlays without running kubectl. Anything outside
 * the subset is refused rather than ignored; the integration tier compares this
 * rendering with `kubectl kustomize` (the only differences allowed: generated
 * ConfigMap names lack kustomize's content hash here, and object order).
 */

const SUPPORTED = new Set(['apiVersion', 'kind', 'namespace', 'resources', 'configMapGenerator', 'patches', 'images', 'replicas']);

/** Kinds without a namespace among those we render. */
const CLUSTER_SCOPED = new Set(['Namespace', 'CustomResourceDefinition', 'ClusterRole', 'ClusterRoleBinding', 'PersistentVolume', 'StorageClass', 'PriorityClass']);

const WORKLOAD_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

export interface Rendering {
  readonly objects: JsonObject[];
  /** Names of the ConfigMaps made by configMapGenerator (kustomize adds a hash to these). */
  readonly generatedConfigMaps: ReadonlySet<string>;
}

export function renderKustomization(dir: string): Rendering {
  const root = resolve(dir);
  const k = readKustomization(root);
  const objects: JsonObject[] = [];
  const generated = new Set<string>();
  for (const entry of stringList(k, 'resources', root)) {
    const path = resolve(root, entry);
    if (statSync(path).isDirectory()) {
      const sub = renderKustomization(path);
      objects.push(...sub.objects);
      sub.generatedConfigMaps.forEach((name) => generated.add(name));
    } else {
      objects.push(...readDocuments(path));
    }
  }
  for (const gen of arrayAt(k, 'configMapGenerator')) generateConfigMap(root, gen, objects, generated);
  const namespace = stringAt(k, 'namespace');
  if (namespace !== undefined) {
    for (const o of objects) if (!CLUSTER_SCOPED.has(kindOf(o))) metadataOf(o).namespace = namespace;
  }
  for (const patch of arrayAt(k, 'patches')) applyPatchEntry(root, patch, objects);
  for (const image of arrayAt(k, 'images')) setImage(image, objects);
  for (const replicas of arrayAt(k, 'replicas')) setReplicas(replicas, objects);
  return { objects, generatedConfigMaps: generated };
}

function readKustomization(root: string): JsonObject {
  const k: unknown = parse(readFileSync(join(root, 'kustomization.yaml'), 'utf8'));
  if (!isObject(k)) throw new Error(`${root}/kustomization.yaml is not a mapping`);
  const unsupported = Object.keys(k).filter((key) => !SUPPORTED.has(key));
  if (unsupported.length > 0) throw new Error(`${root}/kustomization.yaml: kustomize-lite does not support ${unsupported.join(', ')}`);
  return k;
}

function stringList(parent: JsonObject, key: string, where: string): string[] {
  return arrayAt(parent, key).map((item) => {
    if (typeof item !== 'string') throw new Error(`${where}: ${key} must list strings`);
    return item;
  });
}

function readDocuments(path: string): JsonObject[] {
  return parseAllDocuments(readFileSync(path, 'utf8')).flatMap((doc) => {
    if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]?.message}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) return [];
    if (!isObject(value) || typeof value.kind !== 'string') throw new Error(`${path}: a document without kind`);
    return [value];
  });
}

export function kindOf(o: JsonObject): string {
  return stringAt(o, 'kind') ?? '';
}

export function nameOf(o: JsonObject): string {
  return stringAt(objectAt(o, 'metadata'), 'name') ?? '';
}

function metadataOf(o: JsonObject): JsonObject {
  if (!isObject(o.metadata)) o.metadata = {};
  return o.metadata as JsonObject;
}

function generateConfigMap(root: string, gen: Json, objects: JsonObject[], generated: Set<string>): void {
  const name = stringAt(gen, 'name');
  if (!isObject(gen) || name === undefined) throw new Error(`${root}: configMapGenerator entries need a name`);
  const data: JsonObject = {};
  for (const file of stringList(gen, 'files', root)) {
    const [key, path] = file.includes('=') ? [file.slice(0, file.indexOf('=')), file.slice(file.indexOf('=') + 1)] : [file.split('/').pop() as string, file];
    data[key] = readFileSync(resolve(root, path), 'utf8');
  }
  for (const literal of stringList(gen, 'literals', root)) {
    const at = literal.indexOf('=');
    if (at < 1) throw new Error(`${root}: literal '${literal}' is not key=value`);
    data[literal.slice(0, at)] = literal.slice(at + 1);
  }
  const labels = objectAt(objectAt(gen, 'options'), 'labels');
  const behavior = stringAt(gen, 'behavior') ?? 'create';
  const existing = objects.find((o) => kindOf(o) === 'ConfigMap' && nameOf(o) === name);
  if (behavior === 'create') {
    if (existing !== undefined) throw new Error(`${root}: ConfigMap ${name} already exists (use behavior merge or replace)`);
    const metadata: JsonObject = { name };
    if (Object.keys(labels).length > 0) metadata.labels = { ...labels };
    objects.push({ apiVersion: 'v1', kind: 'ConfigMap', metadata, data });
    generated.add(name);
    return;
  }
  if (behavior !== 'merge' && behavior !== 'replace') throw new Error(`${root}: unknown behavior ${behavior}`);
  if (existing === undefined || !generated.has(name)) throw new Error(`${root}: behavior ${behavior} needs a generated ConfigMap ${name} from a base`);
  existing.data = behavior === 'merge' ? { ...objectAt(existing, 'data'), ...data } : data;
  if (Object.keys(labels).length > 0) metadataOf(existing).labels = { ...objectAt(existing.metadata, 'labels'), ...labels };
}

function applyPatchEntry(root: string, entry: Json, objects: JsonObject[]): void {
  const target = objectAt(entry, 'target');
  const unsupported = Object.keys(target).filter((key) => key !== 'kind' && key !== 'name');
  if (unsupported.length > 0) throw new Error(`${root}: patch targets by ${unsupported.join(', ')} are not supported`);
  const path = stringAt(entry, 'path');
  const inline = stringAt(entry, 'patch');
  const source = path ?? 'inline patch';
  const text = path !== undefined ? readFileSync(resolve(root, path), 'utf8') : inline;
  if (text === undefined) throw new Error(`${root}: a patch needs path or patch`);
  const ops = parsePatch(parse(text) as Json, source);
  const kind = stringAt(target, 'kind');
  const name = stringAt(target, 'name');
  const matches = objects.filter((o) => (kind === undefined || kindOf(o) === kind) && (name === undefined || nameOf(o) === name));
  if (matches.length === 0) throw new Error(`${root}: patch ${source} matches nothing`);
  for (const o of matches) applyPatch(o, ops);
}

/** Containers of a workload's pod template. */
export function podTemplateContainers(o: JsonObject): JsonObject[] {
  const pod = objectAt(objectAt(objectAt(o, 'spec'), 'template'), 'spec');
  return [...arrayAt(pod, 'initContainers'), ...arrayAt(pod, 'containers')].filter(isObject);
}

/** `registry/name:tag` or `name@digest` → the name kustomize matches on. */
function imageName(image: string): string {
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const colon = withoutDigest.lastIndexOf(':');
  return colon > withoutDigest.lastIndexOf('/') ? withoutDigest.slice(0, colon) : withoutDigest;
}

function setImage(entry: Json, objects: JsonObject[]): void {
  const name = stringAt(entry, 'name');
  if (name === undefined) throw new Error('images entries need a name');
  const newName = stringAt(entry, 'newName');
  const newTag = stringAt(entry, 'newTag');
  for (const container of objects.filter((o) => WORKLOAD_KINDS.has(kindOf(o))).flatMap(podTemplateContainers)) {
    const image = stringAt(container, 'image');
    if (image === undefined || imageName(image) !== name) continue;
    const tagOrDigest = image.slice(name.length);
    container.image = `${newName ?? name}${newTag !== undefined ? `:${newTag}` : tagOrDigest}`;
  }
}

function setReplicas(entry: Json, objects: JsonObject[]): void {
  const name = stringAt(entry, 'name');
  const count = isObject(entry) ? entry.count : undefined;
  if (name === undefined || typeof count !== 'number') throw new Error('replicas entries need name and count');
  const targets = objects.filter((o) => WORKLOAD_KINDS.has(kindOf(o)) && nameOf(o) === name);
  if (targets.length === 0) throw new Error(`replicas: no workload named ${name}`);
  for (const o of targets) {
    if (!isObject(o.spec)) throw new Error(`replicas: ${name} has no spec`);
    o.spec.replicas = count;
  }
}
