import type { DeviceCommandReply } from '@wasmbed/device-bus';

interface Waiter {
  readonly resolve: (reply: DeviceCommandReply) => void;
  readonly timer: NodeJS.Timeout;
}

/**
 * Command replies that wait for the device: one waiter per key (e.g. `deploy:blinky`),
 * settled by the device's answer, by a timeout, or when the session ends.
 */
export class ReplyWaiters {
  private readonly waiters = new Map<string, Waiter>();

  has(key: string): boolean {
    return this.waiters.has(key);
  }

  wait(key: string, timeoutMs: number, onTimeout: () => DeviceCommandReply): Promise<DeviceCommandReply> {
    this.settle(key, { ok: false, error: { code: 'conflict', message: 'superseded by a newer command for the same app' } });
    return new Promise((resolve) => {
      const timer = setTimeout(() => this.settle(key, onTimeout()), timeoutMs);
      timer.unref();
      this.waiters.set(key, { resolve, timer });
    });
  }

  /** Settles the waiter of `key`, if any; returns whether there was one. */
  settle(key: string, reply: DeviceCommandReply): boolean {
    const waiter = this.waiters.get(key);
    if (waiter === undefined) return false;
    this.waiters.delete(key);
    clearTimeout(waiter.timer);
    waiter.resolve(reply);
    return true;
  }

  settleAll(reply: DeviceCommandReply): void {
    for (const key of [...this.waiters.keys()]) this.settle(key, reply);
  }
}
