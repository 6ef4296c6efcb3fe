import type { LogFields } from '@wasmbed/grpc-kit';

/**
 * What a service has set up, to undo in reverse order on stop or when startup fails
 * half-way. A failing step is logged and the rest still run: one stuck resource must
 * not keep the others open.
 */
export class Teardown {
  private readonly steps: (() => Promise<void> | void)[] = [];
  private running: Promise<void> | undefined;

  constructor(private readonly logger: { warn(message: string, fields?: LogFields): void }) {}

  add(step: () => Promise<void> | void): void {
    this.steps.push(step);
  }

  /** Runs every step once, last added first; later calls share the first run. */
  run(): Promise<void> {
    return (this.running ??= this.undo());
  }

  private async undo(): Promise<void> {
    for (let step = this.steps.pop(); step !== undefined; step = this.steps.pop()) {
      try {
        await step();
      } catch (err) {
        this.logger.warn('shutdown step failed', { error: err });
      }
    }
  }
}
