import type { Callback, EpochLog, StepLog } from './callback.js';
import type { Trainer } from '../loop/trainer.js';

/**
 * A progress bar for the current epoch on stderr, redrawn in place when
 * stderr is a terminal (and silent otherwise, so logs stay clean), plus one
 * line per epoch with the mean training loss, validation values, learning
 * rate and duration — always printed.
 */
export class ProgressBar implements Callback {
  readonly name = 'progress';
  private readonly stream: NodeJS.WriteStream;
  private readonly interactive: boolean;
  private epochs = 0;
  private stepsPerEpoch = 0;
  private lastDraw = 0;

  constructor(options: { stream?: NodeJS.WriteStream; epochs?: number; stepsPerEpoch?: number; interactive?: boolean } = {}) {
    this.stream = options.stream ?? process.stderr;
    this.interactive = options.interactive ?? !!this.stream.isTTY;
    this.epochs = options.epochs ?? 0;
    this.stepsPerEpoch = options.stepsPerEpoch ?? 0;
  }

  onStepEnd(log: StepLog): void {
    if (!this.interactive) return;
    const now = Date.now();
    if (now - this.lastDraw < 100 && log.batch + 1 !== this.stepsPerEpoch) return;
    this.lastDraw = now;
    const total = this.stepsPerEpoch || log.batch + 1;
    const width = 24;
    const filled = Math.min(width, Math.round(((log.batch + 1) / total) * width));
    const bar = '#'.repeat(filled) + '-'.repeat(width - filled);
    const epochs = this.epochs ? `/${this.epochs}` : '';
    this.stream.write(`\r\x1b[2Kepoch ${log.epoch + 1}${epochs} [${bar}] ${log.batch + 1}/${total} loss ${format(log.values['loss.total'])}`);
  }

  onEpochEnd(log: EpochLog): void {
    if (this.interactive) this.stream.write('\r\x1b[2K');
    const shown = Object.entries(log.values)
      .filter(([k]) => k === 'loss.total' || k.startsWith('val.') || k === 'lr')
      .map(([k, v]) => `${k} ${format(v)}`)
      .join('  ');
    const epochs = this.epochs ? `/${this.epochs}` : '';
    this.stream.write(`epoch ${log.epoch + 1}${epochs}  ${shown}  (${log.seconds.toFixed(1)}s)\n`);
  }

  onInterrupt(trainer: Trainer): void {
    if (this.interactive) this.stream.write('\r\x1b[2K');
    this.stream.write(`interrupted at epoch ${trainer.state.epoch + 1}, step ${trainer.state.step}; checkpoint saved, resume to continue\n`);
  }
}

function format(v: number | undefined): string {
  if (v === undefined) return '-';
  return Math.abs(v) >= 1e-3 || v === 0 ? v.toFixed(4) : v.toExponential(2);
}
