import { kindOf, nameOf, podTemplateContainers } from './kustomize-lite';
import { arrayAt, isObject, objectAt, stringAt, type JsonObject } from './json';

/** A Deployment or StatefulSet with what the checks look at. */
export interface Workload {
  readonly object: JsonObject;
  readonly kind: string;
  readonly name: string;
  /** app.kubernetes.io/component of the pods: the service (api, gateway, …) or nats. */
  readonly component: string;
  readonly podSpec: JsonObject;
  readonly podLabels: Record<string, string>;
  readonly containers: JsonObject[];
}

export function labelsOf(o: JsonObject): Record<string, string> {
  return stringRecord(objectAt(objectAt(o, 'metadata'), 'labels'));
}

export function stringRecord(o: JsonObject): Record<string, string> {
  return Object.fromEntries(Object.entries(o).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

export function workloadsOf(objects: readonly JsonObject[]): Workload[] {
  return objects
    .filter((o) => kindOf(o) === 'Deployment' || kindOf(o) === 'StatefulSet')
    .map((o) => {
      const template = objectAt(objectAt(o, 'spec'), 'template');
      const podLabels = labelsOf(template);
      return {
        object: o,
        kind: kindOf(o),
        name: nameOf(o),
        component: podLabels['app.kubernetes.io/component'] ?? '',
        podSpec: objectAt(template, 'spec'),
        podLabels,
        containers: podTemplateContainers(o),
      };
    });
}

export function find(objects: readonly JsonObject[], kind: string, name: string): JsonObject {
  const found = objects.find((o) => kindOf(o) === kind && nameOf(o) === name);
  if (found === undefined) throw new Error(`no ${kind} ${name} in the rendering`);
  return found;
}

export function ofKind(objects: readonly JsonObject[], kind: string): JsonObject[] {
  return objects.filter((o) => kindOf(o) === kind);
}

/** Named container ports of the pod: name → number. */
export function podPorts(w: Workload): Map<string, number> {
  const ports = new Map<string, number>();
  for (const c of w.containers) {
    for (const p of arrayAt(c, 'ports')) {
      const name = stringAt(p, 'name');
      if (name !== undefined && isObject(p) && typeof p.containerPort === 'number') ports.set(name, p.containerPort);
    }
  }
  return ports;
}

export function envOf(container: JsonObject): JsonObject[] {
  return arrayAt(container, 'env').filter(isObject);
}

/** `250m` → 0.25 cores, `1` → 1; `256Mi` → bytes. */
export function quantity(value: string | number): number {
  if (typeof value === 'number') return value;
  const m = /^([0-9.]+)(m|Ki|Mi|Gi|Ti|k|M|G|T)?$/.exec(value);
  if (m === null) throw new Error(`not a quantity: ${value}`);
  const factor: Record<string, number> = { m: 1e-3, Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, k: 1e3, M: 1e6, G: 1e9, T: 1e12 };
  return Number(m[1]) * (m[2] === undefined ? 1 : (factor[m[2]] as number));
}

/** A key of a rendered ConfigMap. */
export function configMapValue(objects: readonly JsonObject[], name: string, key: string): string {
  const value = stringAt(objectAt(find(objects, 'ConfigMap', name), 'data'), key);
  if (value === undefined) throw new Error(`ConfigMap ${name} has no key ${key}`);
  return value;
}
