import type { CoordinationV1Api, V1Lease } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import type { Logger } from '@wasmbed/service-kit';
import { decideLease, leaderTimings, observeLease, stepDownAtMs, type LeaseObservation, type LeaseRecord } from './lease-decision';
import { MicroTime, leaseTimeMs } from './micro-time';

export interface LeaderElectionOptions {
  readonly coordinationApi: CoordinationV1Api;
  readonly namespace: string;
  readonly leaseName: string;
  /** Unique per process (e.g. pod name + random suffix). */
  readonly identity: string;
  /** Default 15000. */
  readonly leaseDurationMs?: number;
  /** How often the leader renews and the others look; default 5000, at most half the lease. */
  readonly renewIntervalMs?: number;
  readonly logger: Logger;
  onStartedLeading(): void | Promise<void>;
  onStoppedLeading(): void | Promise<void>;
  /** Release the lease on stop() so that another instance takes over at once; default true. */
  readonly releaseOnStop?: boolean;
  /** Clock in ms; default Date.now. */
  readonly now?: () => number;
}

export interface LeaderElection {
  isLeader(): boolean;
  /** Stops electing; a leader calls onStoppedLeading, then releases the lease. */
  stop(): Promise<void>;
}

const httpStatusOf = (err: unknown): number | undefined => {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
};
const firstLine = (err: unknown): string => (err instanceof Error ? err.message.split('\n')[0] : String(err));

function recordOf(lease: V1Lease): LeaseRecord {
  const spec = lease.spec ?? {};
  return {
    holderIdentity: spec.holderIdentity,
    leaseDurationSeconds: spec.leaseDurationSeconds,
    renewTimeMs: leaseTimeMs(spec.renewTime),
    leaseTransitions: spec.leaseTransitions,
    resourceVersion: lease.metadata?.resourceVersion,
  };
}

/**
 * Leader election on a coordination.k8s.io/v1 Lease, every update checked against the
 * resourceVersion read (409 = someone else changed it first). The leader renews every
 * `renewIntervalMs`; if it cannot renew for leaseDuration − renewInterval it calls
 * onStoppedLeading, before any other instance can see the lease expire. Others take an
 * expired lease leaseDuration after they last saw it renewed, a released one at once.
 */
export function startLeaderElection(options: LeaderElectionOptions): LeaderElection {
  const { leaseDurationMs, renewIntervalMs, renewDeadlineMs } = leaderTimings(options);
  const { coordinationApi: api, namespace, leaseName: name, identity, logger } = options;
  const now = options.now ?? Date.now;
  const log = { lease: `${namespace}/${name}`, identity };

  let leading = false;
  let stopped = false;
  let observation: LeaseObservation | undefined;
  let ours: V1Lease | undefined; // the lease as we last wrote it
  let loopTimer: NodeJS.Timeout | undefined;
  let deadlineTimer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();

  const callback = async (which: 'onStartedLeading' | 'onStoppedLeading'): Promise<void> => {
    try {
      await options[which]();
    } catch (err) {
      logger.error(`${which} failed`, { ...log, error: err });
    }
  };
  const stopLeading = (why: string): Promise<void> => {
    if (!leading) return Promise.resolve();
    leading = false;
    clearTimeout(deadlineTimer);
    logger.warn('stopped leading', { ...log, why });
    return callback('onStoppedLeading');
  };
  const renewed = (lease: V1Lease, startedAt: number): void => {
    ours = lease;
    observation = observeLease(observation, recordOf(lease), now());
    clearTimeout(deadlineTimer);
    deadlineTimer = setTimeout(() => void stopLeading(`no renewal for ${renewDeadlineMs} ms`), Math.max(0, stepDownAtMs(startedAt, renewDeadlineMs) - now()));
    if (!leading && !stopped) {
      leading = true;
      logger.info('started leading', log);
      void callback('onStartedLeading');
    }
  };
  const body = (record: LeaseRecord | undefined, at: number, take: boolean): V1Lease => ({
    apiVersion: 'coordination.k8s.io/v1',
    kind: 'Lease',
    metadata: { name, namespace, ...(record?.resourceVersion ? { resourceVersion: record.resourceVersion } : {}) },
    spec: {
      holderIdentity: identity,
      leaseDurationSeconds: Math.ceil(leaseDurationMs / 1_000),
      renewTime: new MicroTime(at),
      acquireTime: take ? new MicroTime(at) : (ours?.spec?.acquireTime ?? new MicroTime(at)),
      leaseTransitions: (record?.leaseTransitions ?? 0) + (take && record ? 1 : 0),
    },
  });

  /** One round: read, decide, write. Returns the delay before the next one. */
  const round = async (): Promise<number> => {
    const startedAt = now();
    let lease: V1Lease | undefined;
    try {
      lease = await api.readNamespacedLease({ name, namespace });
    } catch (err) {
      if (httpStatusOf(err) !== 404) {
        logger.warn('could not read the lease', { ...log, status: httpStatusOf(err), error: firstLine(err) });
        return renewIntervalMs;
      }
    }
    observation = observeLease(observation, lease && recordOf(lease), startedAt);
    const decision = decideLease({ observation, nowMs: startedAt, identity, leaseDurationMs });
    if (decision.action === 'wait') {
      if (leading) await stopLeading(`the lease is held by ${decision.holder}`);
      return Math.max(10, Math.min(renewIntervalMs, decision.expiresAtMs - now()));
    }
    if (stopped) return renewIntervalMs;
    try {
      const written =
        decision.action === 'create'
          ? await api.createNamespacedLease({ namespace, body: body(undefined, startedAt, true) })
          : await api.replaceNamespacedLease({ name, namespace, body: body(observation?.record, startedAt, decision.action === 'acquire') });
      renewed(written, startedAt);
    } catch (err) {
      const status = httpStatusOf(err);
      // 409: another instance wrote first (it created, took or renewed the lease); read again now.
      if (status === 409) return 0;
      logger.warn(`could not ${decision.action} the lease`, { ...log, status, error: firstLine(err) });
    }
    return renewIntervalMs;
  };

  const loop = (): void => {
    if (stopped) return;
    running = round()
      .catch((err: unknown) => {
        logger.error('leader election round failed', { ...log, error: err });
        return renewIntervalMs;
      })
      .then((delay) => {
        if (!stopped) loopTimer = setTimeout(loop, delay);
      });
  };
  loop();

  return {
    isLeader: () => leading,
    async stop() {
      if (stopped) return;
      stopped = true;
      clearTimeout(loopTimer);
      await running;
      clearTimeout(deadlineTimer);
      await stopLeading('stopped');
      // Also when a last round took the lease while stop() was waiting for it.
      if (!(options.releaseOnStop ?? true) || ours?.spec?.holderIdentity !== identity) return;
      // Released = no holder, a 1 s duration (as client-go): the next instance takes it at once.
      const at = now();
      try {
        await api.replaceNamespacedLease({
          name,
          namespace,
          body: { ...body(recordOf(ours), at, false), spec: { holderIdentity: '', leaseDurationSeconds: 1, renewTime: new MicroTime(at), acquireTime: new MicroTime(at), leaseTransitions: ours.spec?.leaseTransitions ?? 0 } },
        });
        logger.info('released the lease', log);
      } catch (err) {
        logger.warn('could not release the lease; it expires by itself', { ...log, status: httpStatusOf(err), error: firstLine(err) });
      }
    },
  };
}
