import type { NatsConnection, Subscription } from '@nats-io/transport-node';
import { ALL_DEVICE_STATUS_SUBJECTS, decodeDeviceStatus, type DeviceStatusMessage, type LivenessChange, type LivenessStore } from '@wasmbed/device-bus';
import type { Logger } from '@wasmbed/service-kit';

/** Every device's status messages (DeployResult, StopResult, AppStatus); malformed ones are logged and skipped. */
export function followDeviceStatus(nc: NatsConnection, onStatus: (message: DeviceStatusMessage) => void, logger: Logger): Subscription {
  return nc.subscribe(ALL_DEVICE_STATUS_SUBJECTS, {
    callback: (err, msg) => {
      if (err !== null) return logger.warn('device status subscription failed', { error: err });
      let message: DeviceStatusMessage;
      try {
        message = decodeDeviceStatus(msg.data);
      } catch (error) {
        return logger.warn('ignoring a malformed device status message', { subject: msg.subject, error });
      }
      onStatus(message);
    },
  });
}

export interface LivenessFeed {
  /** Watching now (false after the watch ended until it was set up again, and after stop). */
  readonly live: boolean;
  stop(): Promise<void>;
}

/**
 * The liveness bucket: every current record first (so the view knows which
 * devices are connected before it plans), then every change. A watch that ends
 * (lost connection) is set up again after `retryMs`, records first.
 */
export async function followLiveness(
  liveness: LivenessStore,
  onChange: (change: Pick<LivenessChange, 'deviceId' | 'record'>) => void,
  logger: Logger,
  retryMs = 1_000,
): Promise<LivenessFeed> {
  let stopped = false;
  let watch: Awaited<ReturnType<LivenessStore['watch']>> | undefined;

  const open = async (): Promise<void> => {
    // Watching before listing would let the listed (older) records overwrite newer changes; the watch repeats current ones anyway.
    for (const record of await liveness.list()) onChange({ deviceId: record.deviceId, record });
    const current = await liveness.watch(onChange, (error) => logger.warn('ignoring a malformed liveness record', { error }));
    watch = current;
    void current.closed.then(() => {
      if (watch === current) watch = undefined;
      if (!stopped) reopenLater();
    });
  };
  const reopenLater = (): void => {
    setTimeout(() => {
      if (stopped) return;
      open().catch((error: unknown) => {
        logger.warn('watching the liveness bucket failed; retrying', { error });
        reopenLater();
      });
    }, retryMs).unref();
  };

  await open();
  return {
    get live() {
      return watch !== undefined && !stopped;
    },
    async stop() {
      stopped = true;
      await watch?.stop();
    },
  };
}
