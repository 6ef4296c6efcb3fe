import { execFile } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { KubeBinariesNotFoundError } from './kube-errors';

/** Absolute paths of the built Kubernetes binaries. */
export interface KubeBinaries {
  readonly binDir: string;
  readonly kubeApiServer: string;
  readonly kubectl: string;
  readonly etcd: string;
}

// Both src/ and dist/ sit three levels below the repository root.
const REPO_ROOT = resolve(__dirname, '..', '..', '..');
const BUILD_SCRIPT = join(REPO_ROOT, 'scripts', 'build-kube-apiserver.sh');

let cached: Promise<KubeBinaries> | undefined;

function inDir(binDir: string): KubeBinaries {
  const binaries = {
    binDir,
    kubeApiServer: join(binDir, 'kube-apiserver'),
    kubectl: join(binDir, 'kubectl'),
    etcd: join(binDir, 'etcd'),
  };
  for (const path of [binaries.kubeApiServer, binaries.kubectl, binaries.etcd]) {
    try {
      accessSync(path, constants.X_OK);
    } catch (err) {
      throw new KubeBinariesNotFoundError(`${path} is not an executable`, { cause: err });
    }
  }
  return binaries;
}

async function lookUpBuildCache(): Promise<KubeBinaries> {
  // The script owns the cache key (hash of go.mod + go.sum); --check never builds.
  try {
    const { stdout } = await promisify(execFile)('bash', [BUILD_SCRIPT, '--check'], { cwd: REPO_ROOT });
    return inDir(stdout.trim().split('\n').pop() ?? '');
  } catch (err) {
    if (err instanceof KubeBinariesNotFoundError) throw err;
    const stderr = (err as { stderr?: string }).stderr?.trim();
    throw new KubeBinariesNotFoundError(stderr || String(err), { cause: err });
  }
}

/**
 * The pinned kube-apiserver, kubectl and etcd: $WASMBED_KUBE_BIN_DIR, else the
 * build cache of scripts/build-kube-apiserver.sh (looked up once per process). Never builds.
 */
export async function findKubeBinaries(): Promise<KubeBinaries> {
  const fromEnv = process.env.WASMBED_KUBE_BIN_DIR;
  if (fromEnv) return inDir(fromEnv);
  cached ??= lookUpBuildCache().catch((err: unknown) => {
    cached = undefined;
    throw err;
  });
  return cached;
}
