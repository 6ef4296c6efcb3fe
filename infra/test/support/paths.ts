import { join, resolve } from 'node:path';

export const REPO_ROOT = resolve(__dirname, '..', '..', '..');
export const K8S_DIR = join(REPO_ROOT, 'infra', 'k8s');
export const BASE_DIR = join(K8S_DIR, 'base');
export const DEV_DIR = join(K8S_DIR, 'overlays', 'dev');
export const CRDS_DIR = join(REPO_ROOT, 'infra', 'crds');

/** The Wasmbed services (folders of services/), as their pods' component label names them. */
export const SERVICES = ['api', 'gateway', 'app-controller', 'device-controller', 'k8s-sync'] as const;
