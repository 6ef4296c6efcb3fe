import type { OutputStream } from '../io';
import { renderProgressBar, type RolloutProgress } from './progress-bar';

const BAR_WIDTH = 24;
const CLEAR_LINE = '\r\x1b[2K';

/**
 * Shows a changing status: on a terminal one line redrawn in place; otherwise
 * (a pipe, a CI log) a plain line whenever the text changes; with --json one
 * JSON object per change.
 */
export class ProgressDisplay {
  private last = '';
  private drawn = false;

  constructor(
    private readonly stdout: OutputStream,
    private readonly json: boolean,
  ) {}

  progress(progress: RolloutProgress): void {
    if (this.json) return this.emitJson({ ...progress });
    const text = renderProgressBar(progress, { width: BAR_WIDTH, unicode: this.stdout.isTTY === true });
    if (text === this.last) return;
    this.last = text;
    if (this.stdout.isTTY) {
      this.stdout.write(`${CLEAR_LINE}${text}`);
      this.drawn = true;
    } else {
      this.stdout.write(`${text}\n`);
    }
  }

  /** A line that is not progress (waiting, the outcome); ends a redrawn line first. */
  message(text: string, fields: Record<string, unknown> = {}): void {
    if (this.json) return this.emitJson({ message: text, ...fields });
    if (text === this.last) return;
    this.last = text;
    if (this.drawn) this.stdout.write('\n');
    this.drawn = false;
    this.stdout.write(`${text}\n`);
  }

  private emitJson(value: Record<string, unknown>): void {
    const text = JSON.stringify(value);
    if (text === this.last) return;
    this.last = text;
    this.stdout.write(`${text}\n`);
  }
}
