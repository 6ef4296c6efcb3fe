import { arrayAt, isObject, objectAt, stringAt, type Json, type JsonObject } from './json';
import { stringRecord, type Workload, podPorts } from './workloads';

/**
 * Ingress NetworkPolicy semantics, evaluated over the rendered manifests: who
 * may open a connection to which named port of a workload. A peer is a pod
 * (labels, and its namespace's labels) or `external` (anything outside the pod
 * network: devices, users behind a load balancer).
 */
export type Peer = 'external' | { readonly podLabels: Record<string, string>; readonly namespaceLabels: Record<string, string> };

function matches(selector: Json | undefined, labels: Record<string, string>): boolean {
  if (!isObject(selector)) return false;
  const required = stringRecord(objectAt(selector, 'matchLabels'));
  if (!Object.entries(required).every(([k, v]) => labels[k] === v)) return false;
  return arrayAt(selector, 'matchExpressions').every((e) => {
    const key = stringAt(e, 'key') ?? '';
    const values = arrayAt(e, 'values');
    switch (stringAt(e, 'operator')) {
      case 'In':
        return key in labels && values.includes(labels[key] as string);
      case 'NotIn':
        return !(key in labels) || !values.includes(labels[key] as string);
      case 'Exists':
        return key in labels;
      case 'DoesNotExist':
        return !(key in labels);
      default:
        throw new Error(`unknown selector operator in ${JSON.stringify(e)}`);
    }
  });
}

function peerAllowed(from: Json, peer: Peer, policyNamespace: string): boolean {
  if (!isObject(from)) return false;
  if ('ipBlock' in from) return peer === 'external';
  if (peer === 'external') return false;
  const podSelector = from.podSelector;
  const namespaceSelector = from.namespaceSelector;
  // podSelector alone: pods of the policy's own namespace.
  const namespaceOk =
    namespaceSelector === undefined ? peer.namespaceLabels['kubernetes.io/metadata.name'] === policyNamespace : matches(namespaceSelector, peer.namespaceLabels);
  const podOk = podSelector === undefined || matches(podSelector, peer.podLabels);
  return namespaceOk && podOk;
}

function portAllowed(ports: Json[], portName: string, portNumber: number): boolean {
  if (ports.length === 0) return true;
  return ports.some((p) => {
    if (!isObject(p) || (p.protocol !== undefined && p.protocol !== 'TCP')) return false;
    return p.port === undefined || p.port === portName || p.port === portNumber;
  });
}

/** The policies selecting the workload's pods, by name. */
export function policiesFor(policies: readonly JsonObject[], target: Workload): JsonObject[] {
  return policies.filter((p) => {
    const spec = objectAt(p, 'spec');
    return arrayAt(spec, 'policyTypes').includes('Ingress') && matches(objectAt(spec, 'podSelector'), target.podLabels);
  });
}

/** Whether `peer` may connect to the named port of `target` (no selecting policy = open, as Kubernetes has it). */
export function ingressAllowed(policies: readonly JsonObject[], peer: Peer, target: Workload, portName: string): boolean {
  const portNumber = podPorts(target).get(portName);
  if (portNumber === undefined) throw new Error(`${target.name} has no port named ${portName}`);
  const selecting = policiesFor(policies, target);
  if (selecting.length === 0) return true;
  return selecting.some((p) => {
    const namespace = stringAt(objectAt(p, 'metadata'), 'namespace') ?? '';
    return arrayAt(objectAt(p, 'spec'), 'ingress').some((rule) => {
      // No `from` (or an empty one): every source.
      const from = arrayAt(rule, 'from');
      const fromOk = from.length === 0 || from.some((f) => peerAllowed(f, peer, namespace));
      return fromOk && portAllowed(arrayAt(rule, 'ports'), portName, portNumber);
    });
  });
}
