/** Reports progress of long work (epochs, batches, samples). */
export interface Progress {
  /** Starts a bar of `total` units with a label. */
  start(label: string, total: number): void;
  /** Sets the bar to `done` units, with an optional status (`loss 0.42`). */
  update(done: number, status?: string): void;
  /** Ends the current bar with a final line. */
  finish(status?: string): void;
  /** A line of text between bars (epoch summaries, warnings). */
  log(line: string): void;
}

/**
 * A progress bar on a terminal (redrawn in place with `\r`), or, when the
 * stream is not a TTY (CI logs, pipes), only the final line of each bar so logs
 * stay readable. `quiet` prints nothing but `log` lines.
 */
export function createProgress(stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number }, options: { quiet?: boolean } = {}): Progress {
  const interactive = !!stream.isTTY && !options.quiet;
  let label = '';
  let total = 0;
  let last = '';
  const render = (done: number, status = ''): string => {
    const width = 24;
    const fraction = total > 0 ? Math.min(1, done / total) : 1;
    const filled = Math.round(fraction * width);
    return `${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}${status ? ` ${status}` : ''}`;
  };
  return {
    start(newLabel, newTotal) {
      label = newLabel;
      total = newTotal;
      if (interactive) stream.write(render(0));
    },
    update(done, status) {
      last = render(done, status);
      if (interactive) stream.write(`\r${last}\x1b[K`);
    },
    finish(status) {
      const line = status !== undefined ? render(total, status) : last || render(total);
      if (interactive) stream.write(`\r${line}\x1b[K\n`);
      else if (!options.quiet) stream.write(`${line}\n`);
      last = '';
    },
    log(line) {
      stream.write(`${line}\n`);
    },
  };
}

/** A Progress that prints nothing (library use and tests). */
export const silentProgress: Progress = { start() {}, update() {}, finish() {}, log() {} };
