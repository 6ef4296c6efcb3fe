/** metav1.Condition, as kubectl and controllers expect it under status.conditions. */
export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  readonly type: string;
  readonly status: ConditionStatus;
  /** CamelCase, machine-readable. */
  readonly reason: string;
  readonly message: string;
  /** RFC 3339, seconds precision. */
  readonly lastTransitionTime: string;
  readonly observedGeneration?: number;
}

/** What the sync adds to a read model's projection. */
export interface StatusExtra {
  /** Conditions the sync owns (e.g. Synced); they win over a derived condition of the same type. */
  readonly conditions?: readonly Condition[];
  /** metadata.generation of the spec the sync last acted on. */
  readonly observedGeneration?: number;
  /**
   * The conditions currently written (or about to be): a condition whose status did not
   * change keeps its lastTransitionTime, so an unchanged status stays byte-identical.
   */
  readonly previousConditions?: readonly Condition[];
  /** Stamp of conditions that change now; defaults to the read model's own last-change time. */
  readonly now?: Date;
}

// Keeps one status far under etcd's object limit whatever a device or a publisher wrote.
export const MAX_MESSAGE_CHARS = 512;

export function truncate(text: string, max = MAX_MESSAGE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Kubernetes times are RFC 3339 in seconds: 2024-05-01T12:00:00Z. */
export function rfc3339(date: Date): string {
  return `${date.toISOString().slice(0, 19)}Z`;
}

/**
 * `next` with the lastTransitionTime of each condition taken from `previous` when its type
 * had the same status there (metav1 semantics: reason or message changes are not transitions).
 */
export function keepTransitionTimes(previous: readonly Condition[] | undefined, next: readonly Condition[]): Condition[] {
  if (!previous?.length) return [...next];
  const before = new Map(previous.map((c) => [c.type, c]));
  return next.map((c) => {
    const old = before.get(c.type);
    return old && old.status === c.status && old.lastTransitionTime !== c.lastTransitionTime ? { ...c, lastTransitionTime: old.lastTransitionTime } : c;
  });
}

/** A derived condition, before times and generations are settled. */
export interface ConditionDraft {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
}

/**
 * The final condition list: the sync's own conditions first, then the derived ones whose type
 * the sync did not set, stamped with `stamp` (or their previous time when unchanged).
 */
export function settleConditions(derived: readonly ConditionDraft[], extra: StatusExtra, stamp: Date): Condition[] {
  const own = (extra.conditions ?? []).map((c) => ({ ...c, message: truncate(c.message) }));
  const ownTypes = new Set(own.map((c) => c.type));
  const time = rfc3339(extra.now ?? stamp);
  const generation = extra.observedGeneration === undefined ? {} : { observedGeneration: extra.observedGeneration };
  const made = derived
    .filter((d) => !ownTypes.has(d.type))
    .map((d): Condition => ({ type: d.type, status: d.status, reason: d.reason, message: truncate(d.message), lastTransitionTime: time, ...generation }));
  return keepTransitionTimes(extra.previousConditions, [...own, ...made]);
}

/** Conditions of any status object (the writer carries transition times through them). */
export function conditionsOf(status: object | undefined): readonly Condition[] | undefined {
  const conditions = (status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(conditions) ? (conditions as Condition[]) : undefined;
}
