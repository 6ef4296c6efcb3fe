import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { ConfigError } from '@wasmbed/errors';
import { loadKubernetesClient } from './client-module';

/** Where the sync finds its cluster: a kubeconfig file, or the pod's service account. */
export type KubeAccess = { readonly kubeconfigPath: string } | { readonly inCluster: true };

export async function loadKubeConfig(access: KubeAccess): Promise<KubeConfig> {
  const k8s = await loadKubernetesClient();
  const kc = new k8s.KubeConfig();
  try {
    if ('kubeconfigPath' in access) kc.loadFromFile(access.kubeconfigPath);
    else kc.loadFromCluster();
  } catch (err) {
    throw new ConfigError(`cannot load the Kubernetes configuration (${'kubeconfigPath' in access ? access.kubeconfigPath : 'in-cluster'}): ${err instanceof Error ? err.message : String(err)}`);
  }
  if (kc.getCurrentCluster() === null) throw new ConfigError(`the Kubernetes configuration ${'kubeconfigPath' in access ? access.kubeconfigPath : '(in-cluster)'} has no current cluster`);
  return kc;
}
