import { DiscardPolicy, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { ResolvedContext } from './contexts';

export interface LogSettings {
  readonly replicas: number;
  readonly duplicateWindowMs: number;
  readonly maxMessageBytes: number;
}

/**
 * The JetStream stream of one context log. No age/size/count limits, and DiscardNew so
 * that if an operator ever adds a limit the broker refuses new commits instead of
 * silently dropping old ones. Deleting or purging events is denied.
 */
export function streamConfigFor(ctx: ResolvedContext, settings: LogSettings): Partial<StreamConfig> & { name: string } {
  return {
    name: ctx.streamName,
    description: `Wasmbed event log of the ${ctx.name} context`,
    subjects: [...ctx.subjects],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.New,
    max_msgs: -1,
    max_bytes: -1,
    max_age: 0,
    max_msgs_per_subject: -1,
    max_msg_size: settings.maxMessageBytes,
    num_replicas: settings.replicas,
    duplicate_window: nanos(settings.duplicateWindowMs),
    deny_delete: true,
    deny_purge: true,
    allow_rollup_hdrs: false,
  };
}
