import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '@wasmbed/service-kit';
import { describeExit, type EmulatorLauncher, type EmulatorRun } from '../backends/emulator-process';
import type { BackendKind, BoardSpec } from '../boards/board-catalogue';
import { InvalidLifecycleTransitionError } from '../errors';
import {
  decideLifecycle,
  initialLifecycle,
  type Lifecycle,
  type LifecycleEffect,
  type LifecycleEvent,
  type RestartPolicy,
  type RunEnd,
} from '../lifecycle/lifecycle';
import { EMULATOR_PID_FILE } from '../provisioning/work-dir';
import { consoleLevel, ConsoleLineSplitter, consoleSignal } from '../serial/console-lines';
import type { ConsoleLogSink } from '../serial/console-log-publisher';
import type { GatewayRoutes } from '../serial/gateway-routes';
import { SerialBridge, type SerialBridgeStats } from '../serial/serial-bridge';

/** What a device is, fixed at creation. */
export interface DeviceDefinition {
  readonly name: string;
  readonly board: BoardSpec;
  readonly backend: BackendKind;
  readonly labels: Readonly<Record<string, string>>;
  readonly elf: string;
  readonly createdAt: string;
}

/** Where its files are, once provisioned. */
export interface DeviceProvisioning {
  readonly dir: string;
  readonly provisioningImage: string;
  readonly publicKeyHex: string;
}

export interface EmulatedDeviceView {
  readonly name: string;
  readonly board: string;
  readonly architecture: string;
  readonly backend: BackendKind;
  readonly labels: Readonly<Record<string, string>>;
  readonly phase: Lifecycle['phase'];
  /** Emulator runs so far (the current one while Running). */
  readonly run: number;
  readonly restarts: number;
  readonly crashes: number;
  /** Why it is Crashed, or why it last crashed. */
  readonly reason: string | null;
  readonly restartInMs: number | null;
  readonly pid: number | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly publicKey: string | null;
  readonly bridge: SerialBridgeStats | null;
  readonly console: { readonly lines: number; readonly recent: readonly string[] };
}

export interface EmulatedDeviceDeps {
  readonly launcher: EmulatorLauncher;
  readonly policy: RestartPolicy;
  /** Where the bridges connect: the provisioned endpoint's address, and the endpoints a device may be redirected to. */
  readonly routes: GatewayRoutes;
  readonly consoleSink: ConsoleLogSink;
  readonly logger: Logger;
  readonly clock: () => number;
  /** Removes the device's files and, when it was registered, its fleet registration. */
  readonly cleanup: () => Promise<void>;
  /** Called for metrics. */
  readonly observe?: (what: 'launch' | 'launch_failed' | 'crash' | 'console_line') => void;
}

interface CurrentRun {
  readonly run: number;
  readonly emulator: EmulatorRun;
  readonly bridge: SerialBridge;
  readonly startedAt: number;
  readonly flushConsole: () => void;
}

const RECENT_CONSOLE_LINES = 20;

/**
 * One emulated device and its supervisor: requests and process events go through
 * the lifecycle reducer one at a time, and its effects (launch, terminate, restart
 * timers, cleanup) are carried out here. Each run's console becomes device log lines
 * and its link UART is bridged to the gateway.
 */
export class EmulatedDevice {
  private state: Lifecycle;
  private provisioning: DeviceProvisioning | null = null;
  private current: CurrentRun | undefined;
  private lastBridge: SerialBridgeStats | null = null;
  private restartTimer: NodeJS.Timeout | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private consoleLines = 0;
  private recent: string[] = [];
  /** Set by shutdown: nothing runs after it. */
  private closed = false;

  constructor(
    readonly definition: DeviceDefinition,
    private readonly deps: EmulatedDeviceDeps,
  ) {
    this.state = initialLifecycle(definition.name);
  }

  get phase(): Lifecycle['phase'] {
    return this.state.phase;
  }

  get files(): DeviceProvisioning | null {
    return this.provisioning;
  }

  /** Provisioning finished: start it (or leave it Stopped). */
  created(provisioning: DeviceProvisioning, start: boolean): Promise<EmulatedDeviceView> {
    this.provisioning = provisioning;
    return this.request({ type: 'Created', start }, 'create');
  }

  /** Provisioning failed: its files go; the caller reports the error. */
  async failed(reason: string): Promise<void> {
    await this.request({ type: 'CreateFailed', reason }, 'create');
  }

  start = (): Promise<EmulatedDeviceView> => this.request({ type: 'StartRequested' }, 'start');
  stop = (): Promise<EmulatedDeviceView> => this.request({ type: 'StopRequested' }, 'stop');
  restart = (): Promise<EmulatedDeviceView> => this.request({ type: 'RestartRequested' }, 'restart');
  delete = (): Promise<EmulatedDeviceView> => this.request({ type: 'DeleteRequested' }, 'delete');

  /**
   * Service shutdown: stops it like an operator would (emulator ended, restart timer
   * cancelled) and takes no request after that. The registration stays; the files go
   * with the manager's work directory.
   */
  shutdown(): Promise<void> {
    return this.enqueue(async () => {
      if (this.state.phase === 'Running' || this.state.phase === 'Crashed') await this.apply({ type: 'StopRequested' });
      this.closed = true;
      clearTimeout(this.restartTimer);
    });
  }

  view(): EmulatedDeviceView {
    const { definition: d, state: s, current } = this;
    return {
      name: d.name,
      board: d.board.name,
      architecture: d.board.arch,
      backend: d.backend,
      labels: d.labels,
      phase: s.phase,
      run: s.run,
      restarts: s.restarts,
      crashes: s.crashes,
      reason: s.reason,
      restartInMs: s.restartInMs,
      pid: current?.emulator.pid ?? null,
      createdAt: d.createdAt,
      startedAt: current === undefined ? null : new Date(current.startedAt).toISOString(),
      publicKey: this.provisioning?.publicKeyHex ?? null,
      bridge: current?.bridge.stats ?? this.lastBridge,
      console: { lines: this.consoleLines, recent: [...this.recent] },
    };
  }

  private request(event: LifecycleEvent, action: string): Promise<EmulatedDeviceView> {
    return this.enqueue(async () => {
      if (this.closed) throw new InvalidLifecycleTransitionError(action, this.definition.name, 'shut down with its manager');
      if (!(await this.apply(event))) throw new InvalidLifecycleTransitionError(action, this.definition.name, this.state.phase);
      return this.view();
    });
  }

  /** Runs `step` after everything queued before it: one reducer step (and its effects) at a time. */
  private enqueue<T>(step: () => Promise<T>): Promise<T> {
    const result = this.queue.then(step);
    this.queue = result.catch(() => undefined);
    return result;
  }

  /** Applies one event and carries out its effects; false when the reducer refused it. Only call from inside the queue. */
  private async apply(event: LifecycleEvent): Promise<boolean> {
    const decision = decideLifecycle(this.state, event, this.deps.policy);
    if (!decision.ok) return false;
    const before = this.state.phase;
    this.state = decision.state;
    if (before !== this.state.phase) this.deps.logger.info('emulated device changed phase', { device: this.definition.name, from: before, to: this.state.phase, reason: this.state.reason ?? undefined });
    for (const effect of decision.effects) await this.carryOut(effect);
    return true;
  }

  private async carryOut(effect: LifecycleEffect): Promise<void> {
    switch (effect.type) {
      case 'launch':
        return this.launch(effect.run);
      case 'terminate':
        return this.terminate(effect.run);
      case 'scheduleRestart':
        clearTimeout(this.restartTimer);
        this.restartTimer = setTimeout(() => void this.enqueue(() => this.apply({ type: 'RestartDue', run: effect.run })), effect.delayMs);
        return;
      case 'cancelRestart':
        clearTimeout(this.restartTimer);
        this.restartTimer = undefined;
        return;
      case 'cleanup':
        return this.deps.cleanup();
    }
  }

  private ended(run: number, end: RunEnd): void {
    if (this.closed) return;
    if (this.state.phase === 'Running' && this.state.run === run) this.deps.observe?.('crash');
    void this.enqueue(() => this.apply({ type: 'RunEnded', run, end }));
  }

  private async launch(run: number): Promise<void> {
    const { definition: d, deps, provisioning } = this;
    if (provisioning === null) throw new Error(`emulated device ${d.name} launched before it was provisioned`);
    const startedAt = deps.clock();
    let emulator: EmulatorRun;
    try {
      emulator = await deps.launcher.launch({ deviceName: d.name, board: d.board, elf: d.elf, provisioningImage: provisioning.provisioningImage, dir: provisioning.dir });
    } catch (err) {
      deps.observe?.('launch_failed');
      deps.logger.warn('emulator did not start', { device: d.name, run, error: (err as Error).message });
      // Already inside the queue: the crash is decided right away, so the caller sees it.
      await this.apply({ type: 'RunEnded', run, end: { reason: (err as Error).message, uptimeMs: 0 } });
      return;
    }
    deps.observe?.('launch');
    if (emulator.pid !== undefined) await writeFile(join(provisioning.dir, EMULATOR_PID_FILE), `${emulator.pid}\n`).catch(() => undefined);
    const sessionId = `${d.name}.run-${run}`;
    const splitter = new ConsoleLineSplitter();
    const emit = (lines: string[]) => lines.forEach((line) => this.consoleLine(run, sessionId, startedAt, line));
    emulator.console.on('data', (chunk: Buffer) => emit(splitter.push(chunk)));
    emulator.console.on('error', () => emulator.console.destroy());
    emulator.console.on('close', () => emit(splitter.flush()));
    const bridge = new SerialBridge(emulator.link, deps.routes, deps.logger, { device: d.name, run });
    this.current = { run, emulator, bridge, startedAt, flushConsole: () => emit(splitter.flush()) };
    deps.logger.info('emulator started', { device: d.name, run, backend: d.backend, pid: emulator.pid });
    void emulator.exited.then((exit) => this.ended(run, { reason: describeExit(d.backend, exit, emulator.output()), uptimeMs: deps.clock() - startedAt }));
  }

  private async terminate(run: number): Promise<void> {
    const current = this.current;
    if (current === undefined || current.run !== run) return;
    this.current = undefined;
    this.lastBridge = current.bridge.stats;
    current.bridge.close();
    current.flushConsole();
    await current.emulator.terminate();
  }

  private consoleLine(run: number, sessionId: string, startedAt: number, text: string): void {
    this.consoleLines += 1;
    this.recent = [...this.recent.slice(-(RECENT_CONSOLE_LINES - 1)), text];
    this.deps.observe?.('console_line');
    try {
      this.deps.consoleSink({ deviceName: this.definition.name, sessionId, level: consoleLevel(text), text });
    } catch (err) {
      this.deps.logger.debug('console line not published', { device: this.definition.name, error: (err as Error).message });
    }
    // The console says where the device dials next (a redirect): its bridge follows, if the routes allow.
    if (this.current?.run === run) this.current.bridge.consoleLine(text);
    const signal = consoleSignal(text);
    if (signal !== undefined) this.ended(run, { reason: signal.reason, permanent: signal.permanent, uptimeMs: this.deps.clock() - startedAt });
  }
}
