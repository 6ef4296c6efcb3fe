/**
 * Every status change of one resource kind in a namespace, seen through a watch on the
 * real apiserver: what a kubectl user (or a controller) sees, when they see it.
 */
import type { KubeConfig } from '@kubernetes/client-node' with { 'resolution-mode': 'import' };
import { GROUP, VERSION } from './kube-objects';

type KubeClient = typeof import('@kubernetes/client-node', { with: { 'resolution-mode': 'import' } });

export interface StatusChange {
  readonly name: string;
  readonly status: Record<string, unknown>;
  /** performance.now() when the watch delivered it. */
  readonly at: number;
  readonly bytes: number;
}

export class StatusWatch {
  private readonly last = new Map<string, string>();
  /** Arrival time of every status change, in order. */
  readonly changes: number[] = [];
  largestBytes = 0;
  private controller: AbortController | undefined;
  private stopped = false;
  private resourceVersion: string | undefined;

  private constructor(
    private readonly k8s: KubeClient,
    private readonly kc: KubeConfig,
    private readonly path: string,
    private readonly onChange: (change: StatusChange) => void,
  ) {}

  /** Starts watching `plural` in `namespace` (from now on: start it before the objects are created). */
  static async start(k8s: KubeClient, kc: KubeConfig, namespace: string, plural: string, onChange: (change: StatusChange) => void): Promise<StatusWatch> {
    const watch = new StatusWatch(k8s, kc, `/apis/${GROUP}/${VERSION}/namespaces/${namespace}/${plural}`, onChange);
    await watch.open();
    return watch;
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
  }

  private async open(): Promise<void> {
    const query = this.resourceVersion ? { resourceVersion: this.resourceVersion, allowWatchBookmarks: true } : { allowWatchBookmarks: true };
    this.controller = await new this.k8s.Watch(this.kc).watch(
      this.path,
      query,
      (type: string, obj: { metadata?: { name?: string; resourceVersion?: string }; status?: Record<string, unknown> }) => {
        this.resourceVersion = obj.metadata?.resourceVersion ?? this.resourceVersion;
        if (type !== 'ADDED' && type !== 'MODIFIED') return;
        const name = obj.metadata?.name;
        if (!name || obj.status === undefined) return;
        const json = JSON.stringify(obj.status);
        if (this.last.get(name) === json) return; // spec or metadata changed, not the status
        this.last.set(name, json);
        const bytes = Buffer.byteLength(json);
        this.largestBytes = Math.max(this.largestBytes, bytes);
        const at = performance.now();
        this.changes.push(at);
        this.onChange({ name, status: obj.status, at, bytes });
      },
      () => {
        // The apiserver ends watches now and then: carry on from the last version seen.
        if (!this.stopped) void this.open();
      },
    );
  }
}

/**
 * The average rate of status changes over [from, to], and the busiest window of
 * `windowMs` (the status interval: one write per object per interval is the budget,
 * so a window shorter than it may burst above objects / interval without breaking it).
 */
export function writeRates(changes: readonly number[], from: number, to: number, windowMs = 1_000): { busiestPerSecond: number; averagePerSecond: number; count: number } {
  const inside = changes.filter((t) => t >= from && t <= to);
  const window = Math.max(windowMs, 1_000);
  let busiest = 0;
  for (let i = 0, j = 0; i < inside.length; i += 1) {
    while (inside[i] - inside[j] >= window) j += 1;
    busiest = Math.max(busiest, i - j + 1);
  }
  const seconds = Math.max((to - from) / 1_000, 1e-9);
  return { busiestPerSecond: busiest / (window / 1_000), averagePerSecond: inside.length / seconds, count: inside.length };
}
