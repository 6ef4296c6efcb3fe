// @ts-check
/**
 * Follows /api/v1/events. EventSource cannot send an Authorization header, so
 * this reads the stream with fetch() and parses it itself, and reconnects with
 * backoff when the stream fails, ends or stalls. The api does not resume from
 * Last-Event-ID: every new stream starts with the whole current state.
 */
import { apiErrorOf } from './api-client.js';
import { backoffDelay } from './backoff.js';
import { SseParser } from './sse-parser.js';

/** A new stream's snapshot is complete once no event came for this long. */
export const SETTLE_QUIET_MS = 300;
/** The api sends a heartbeat every 15 s: three missed ones mean the connection is dead. */
export const STALL_MS = 45_000;
/** A connection that lasted this long was healthy: the next retry starts from the shortest delay. */
const HEALTHY_MS = 5_000;

/**
 * @typedef {{ state: 'connecting' }
 *   | { state: 'live' }
 *   | { state: 'reconnecting', retryAtMs: number, reason: string }
 *   | { state: 'unauthorized', status: number, message: string }
 *   | { state: 'stopped' }} StreamStatus
 *
 * @typedef {object} FollowOptions
 * @property {string} url
 * @property {string} token
 * @property {(event: import('./sse-parser.js').SseEvent) => void} onEvent
 * @property {() => void} onOpen     a new stream began; it re-sends every resource
 * @property {() => void} onSettled  that stream's snapshot has arrived
 * @property {(status: StreamStatus) => void} onStatus
 */

/**
 * @param {FollowOptions} options
 * @returns {{ stop(): void, reconnectNow(): void }}
 */
export function followEvents(options) {
  let stopped = false;
  /** @type {AbortController | undefined} */
  let current;
  /** @type {(() => void) | undefined} */
  let wake;

  const sleep = (/** @type {number} */ ms) =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        wake = undefined;
        resolve(undefined);
      }
      wake = done;
    });

  /** @returns {Promise<{ kind: 'unauthorized', status: number, message: string } | { kind: 'ended', reason: string }>} */
  async function connectOnce() {
    const controller = new AbortController();
    current = controller;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let stallTimer;
    /** @type {ReturnType<typeof setTimeout> | undefined} */
    let settleTimer;
    const armStall = () => {
      clearTimeout(stallTimer);
      stallTimer = setTimeout(() => controller.abort(new Error(`no data for ${STALL_MS / 1000} s`)), STALL_MS);
    };
    try {
      options.onStatus({ state: 'connecting' });
      armStall();
      const res = await fetch(options.url, {
        headers: { authorization: `Bearer ${options.token}`, accept: 'text/event-stream' },
        cache: 'no-store',
        signal: controller.signal,
      });
      if (res.status === 401 || res.status === 403) {
        const err = await apiErrorOf(res);
        return { kind: 'unauthorized', status: res.status, message: err.message };
      }
      if (!res.ok || res.body === null) return { kind: 'ended', reason: (await apiErrorOf(res)).message };
      options.onOpen();
      options.onStatus({ state: 'live' });
      let settled = false;
      const settleLater = () => {
        clearTimeout(settleTimer);
        settleTimer = setTimeout(() => {
          settled = true;
          options.onSettled();
        }, SETTLE_QUIET_MS);
      };
      settleLater();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      const parser = new SseParser();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return { kind: 'ended', reason: 'the api ended the stream' };
        armStall();
        const events = parser.push(value);
        for (const event of events) options.onEvent(event);
        if (!settled && events.length > 0) settleLater();
      }
    } catch (err) {
      const reason = controller.signal.reason instanceof Error ? controller.signal.reason.message : err instanceof Error ? err.message : String(err);
      return { kind: 'ended', reason };
    } finally {
      clearTimeout(stallTimer);
      clearTimeout(settleTimer);
      controller.abort();
    }
  }

  (async () => {
    let attempt = 0;
    while (!stopped) {
      const openedAt = Date.now();
      const outcome = await connectOnce();
      if (stopped) break;
      if (outcome.kind === 'unauthorized') {
        stopped = true;
        options.onStatus({ state: 'unauthorized', status: outcome.status, message: outcome.message });
        return;
      }
      if (Date.now() - openedAt >= HEALTHY_MS) attempt = 0;
      const delay = backoffDelay(attempt++);
      options.onStatus({ state: 'reconnecting', retryAtMs: Date.now() + delay, reason: outcome.reason });
      await sleep(delay);
    }
  })();

  return {
    stop() {
      if (stopped) return;
      stopped = true;
      current?.abort(new Error('stopped'));
      wake?.();
      options.onStatus({ state: 'stopped' });
    },
    /** Skips the current backoff wait (e.g. the operator clicked "retry now"). */
    reconnectNow() {
      wake?.();
    },
  };
}
