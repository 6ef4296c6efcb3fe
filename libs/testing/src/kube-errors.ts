import { WasmbedError } from '@wasmbed/errors';

export const KUBE_BUILD_COMMAND = 'bash scripts/build-kube-apiserver.sh';

/** kube-apiserver, kubectl or etcd is not built for the pinned version. */
export class KubeBinariesNotFoundError extends WasmbedError {
  readonly code = 'failed_precondition' as const;
  constructor(detail: string, options?: { cause?: unknown }) {
    super(
      `Kubernetes test binaries (kube-apiserver, kubectl, etcd) are not available: ${detail}. ` +
        `Build them once with \`${KUBE_BUILD_COMMAND}\` (cached under .cache/kube/), ` +
        'or point WASMBED_KUBE_BIN_DIR at a directory holding all three.',
      { detail },
      options,
    );
  }
}

/** etcd or kube-apiserver exited or did not become ready; the message ends with their last log lines. */
export class KubeApiServerStartError extends WasmbedError {
  readonly code = 'unavailable' as const;
  constructor(message: string, readonly logTail: string) {
    super(`${message}\n${logTail}`, { logTail });
  }
}

/** kubectl exited non-zero (or could not run); `stderr` says why. */
export class KubectlError extends WasmbedError {
  readonly code = 'internal' as const;
  constructor(
    readonly args: readonly string[],
    readonly exitCode: number | null,
    readonly stdout: string,
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(`kubectl ${args.join(' ')} failed (exit ${exitCode}): ${stderr.trim() || stdout.trim()}`, { args, exitCode, stderr }, options);
  }
}

/** tokenFor() was asked for a user that was not declared in startKubeApiServer({ users }). */
export class UnknownKubeUserError extends WasmbedError {
  readonly code = 'not_found' as const;
  constructor(readonly user: string, known: readonly string[]) {
    super(
      `no static token for user "${user}" (declared: ${known.join(', ')}). The token file is read once at start: ` +
        'declare users in startKubeApiServer({ users }), or use serviceAccountToken() for service accounts.',
      { user },
    );
  }
}
