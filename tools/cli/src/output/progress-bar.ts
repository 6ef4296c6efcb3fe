/** One rollout's progress, as the status line shows it. */
export interface RolloutProgress {
  readonly application: string;
  readonly revision: number;
  /** Short rollout phase: "in_progress", "paused", "completed"... */
  readonly phase: string;
  /** 0-based index of the current wave; meaningless when `waves` is 0. */
  readonly wave: number;
  readonly waves: number;
  readonly counts: { readonly pending: number; readonly deploying: number; readonly running: number; readonly failed: number; readonly stopped: number };
}

export interface ProgressBarStyle {
  /** Bar cells; the rest of the line has its own width. */
  readonly width: number;
  /** Block characters on terminals; "#" and "." where they might not render. */
  readonly unicode: boolean;
}

/**
 * "hello rev 2  [██████░░░░] 6/10 settled  wave 2/3  running 5 · failed 1 · deploying 2 · pending 2  in_progress".
 * The filled part is the settled devices (running or failed, i.e. done with
 * this rollout); rounding never shows a full bar before all have settled.
 */
export function renderProgressBar(progress: RolloutProgress, style: ProgressBarStyle): string {
  const { counts } = progress;
  const total = counts.pending + counts.deploying + counts.running + counts.failed + counts.stopped;
  const settled = counts.running + counts.failed + counts.stopped;
  // Nothing left to settle (including no targets at all) is a full bar.
  const filled = settled === total ? style.width : Math.min(style.width - 1, Math.floor((settled / total) * style.width));
  const [full, empty] = style.unicode ? ['█', '░'] : ['#', '.'];
  const bar = `[${full.repeat(filled)}${empty.repeat(style.width - filled)}]`;
  const wave = progress.waves === 0 ? 'no waves' : `wave ${Math.min(progress.wave + 1, progress.waves)}/${progress.waves}`;
  const sep = style.unicode ? ' · ' : ', ';
  const tally = [`running ${counts.running}`, `failed ${counts.failed}`, `deploying ${counts.deploying}`, `pending ${counts.pending}`];
  if (counts.stopped > 0) tally.push(`stopped ${counts.stopped}`);
  return `${progress.application} rev ${progress.revision}  ${bar} ${settled}/${total} settled  ${wave}  ${tally.join(sep)}  ${progress.phase}`;
}
