// @ts-check
/** The HTTP write routes of the api the dashboard uses (reads come from the event stream). */

export class ApiError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
  }
}

/**
 * What to tell the operator when a call fails: auth failures say what to do.
 * @param {unknown} err
 */
export function failureText(err) {
  if (err instanceof ApiError) {
    if (err.status === 401) return `The api did not accept this token (401 ${err.message}). Sign out and connect with a valid token.`;
    if (err.status === 403) return `This token's role may not do that (403): ${err.message}`;
    return `${err.message} (${err.status} ${err.code})`;
  }
  return `Cannot reach the api: ${err instanceof Error ? err.message : String(err)}`;
}

/**
 * The error message of a failed response: the api answers `{"error":{"code","message"}}`.
 * @param {Response} res
 * @returns {Promise<ApiError>}
 */
export async function apiErrorOf(res) {
  const text = await res.text().catch(() => '');
  try {
    const body = JSON.parse(text);
    if (typeof body?.error?.message === 'string') return new ApiError(res.status, String(body.error.code ?? ''), body.error.message);
  } catch {
    // not JSON: fall through to the status line
  }
  return new ApiError(res.status, `http_${res.status}`, text.trim().slice(0, 200) || res.statusText || `HTTP ${res.status}`);
}

/**
 * @param {string} token
 * @param {string} [base] origin of the api; the page's own by default
 */
export function createApiClient(token, base = '') {
  /**
   * @param {string} path
   * @param {Record<string, unknown>} [body]
   */
  async function post(path, body = {}) {
    const res = await fetch(base + path, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
      cache: 'no-store',
    });
    if (!res.ok) throw await apiErrorOf(res);
    return res.json();
  }
  const device = (/** @type {string} */ name, /** @type {string} */ action) => `/api/v1/devices/${encodeURIComponent(name)}/${action}`;
  const application = (/** @type {string} */ name, /** @type {string} */ action) => `/api/v1/applications/${encodeURIComponent(name)}/${action}`;
  return {
    /**
     * Pairing mode on one gateway, or on every gateway when `gateway` is left out.
     * @param {boolean} enabled
     * @param {{ gateway?: string, durationSeconds?: number }} [options]
     */
    setPairing(enabled, options = {}) {
      return post('/api/v1/pairing', {
        enabled,
        ...(options.gateway ? { gateway: options.gateway } : {}),
        ...(enabled && options.durationSeconds ? { durationSeconds: options.durationSeconds } : {}),
      });
    },
    /** @param {string} name */
    approveDevice: (name) => post(device(name, 'approve')),
    /** @param {string} name @param {string} reason */
    rejectDevice: (name, reason) => post(device(name, 'reject'), { reason }),
    /** @param {string} name @param {string} reason */
    revokeDevice: (name, reason) => post(device(name, 'revoke'), { reason }),
    /** Rolls out the latest revision with its own strategy. @param {string} name */
    deployApplication: (name) => post(application(name, 'deploy')),
    /** @param {string} name */
    stopApplication: (name) => post(application(name, 'stop')),
    /** @param {string} name @param {string} reason */
    pauseRollout: (name, reason) => post(application(name, 'pause'), { reason }),
    /** @param {string} name */
    resumeRollout: (name) => post(application(name, 'resume')),
    /** @param {string} name @param {string} reason */
    rollbackRollout: (name, reason) => post(application(name, 'rollback'), { reason }),
  };
}

/** @typedef {ReturnType<typeof createApiClient>} ApiClient */
