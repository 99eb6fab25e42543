/** Reports progress of long work (epochs, batches, samples). */
export interface Progress {
  /**
   * Starts a bar of `total` units with a label. `samples`: how many samples
   * the `total` units hold (a samples/s rate is shown); `done`: units already
   * done before this bar started (a run resumed mid-epoch), left out of the rate.
   */
  start(label: string, total: number, options?: ProgressOptions): void;
  /** Sets the bar to `done` units, with an optional status (`loss 0.42`). */
  update(done: number, status?: string): void;
  /** Ends the current bar with a final line. */
  finish(status?: string): void;
  /** A line of text between bars (epoch summaries, warnings). */
  log(line: string): void;
}

export interface ProgressOptions {
  /** Samples in the `total` units, for the samples/s rate (the units themselves are counted when absent). */
  samples?: number;
  /** Units done before the bar started (resuming); the rate and ETA count only what this bar does. */
  done?: number;
}

/** What one progress line shows; `formatProgress` turns it into text. */
export interface ProgressState {
  label: string;
  done: number;
  total: number;
  /** Milliseconds since the bar started. */
  elapsedMs: number;
  /**
   * Milliseconds from the start to the last update, for the rate and ETA
   * (default `elapsedMs`): the final line's elapsed time may include work
   * after the last unit (validation after an epoch's batches).
   */
  workMs?: number;
  /** Units done before the bar started (not part of the rate). */
  startDone?: number;
  /** Samples in `total` units, when the units are batches. */
  samples?: number;
  status?: string;
  /** The bar's last line: no ETA. */
  finished?: boolean;
}

const barWidth = 24;

/**
 * One progress line, like tqdm's:
 * `epoch 2/4 [######..................] 10/40 loss 0.4231 | 0:05 elapsed, ETA 0:15, 96.0 samples/s`.
 * The ETA and rate come from the units done since the bar started over the
 * elapsed time (so a slow first batch weighs as much as the others); both are
 * left out until a unit is done, and the ETA on the final line.
 */
export function formatProgress(state: ProgressState): string {
  const { label, done, total, elapsedMs } = state;
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const filled = Math.round(fraction * barWidth);
  const bar = `${label} [${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}] ${done}/${total}${state.status ? ` ${state.status}` : ''}`;
  const seconds = (state.workMs ?? elapsedMs) / 1000;
  const progressed = done - (state.startDone ?? 0);
  const timing = [`${formatDuration(elapsedMs / 1000)} elapsed`];
  if (progressed > 0 && seconds > 0) {
    const unitsPerSecond = progressed / seconds;
    if (!state.finished && done < total) timing.push(`ETA ${formatDuration((total - done) / unitsPerSecond)}`);
    const perUnit = state.samples !== undefined && total > 0 ? state.samples / total : 1;
    timing.push(`${formatRate(unitsPerSecond * perUnit)} samples/s`);
  }
  return `${bar} | ${timing.join(', ')}`;
}

/** `0:07`, `12:34`, `1:02:03`: whole seconds, minutes always shown. */
export function formatDuration(seconds: number): string {
  const whole = Math.max(0, Math.round(seconds));
  const h = Math.floor(whole / 3600);
  const m = Math.floor((whole % 3600) / 60);
  const s = whole % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Three significant figures at most: `1234`, `96.0`, `0.512`. */
function formatRate(perSecond: number): string {
  if (perSecond >= 100) return perSecond.toFixed(0);
  if (perSecond >= 10) return perSecond.toFixed(1);
  return perSecond.toFixed(perSecond >= 1 ? 2 : 3);
}

/**
 * A progress bar on a terminal (redrawn in place with `\r`, at most every
 * 100 ms), or, when the stream is not a TTY (CI logs, pipes), only the final
 * line of each bar, so logs stay readable and line-based. `quiet` prints
 * nothing but `log` lines. `now` is the clock (tests pass their own).
 * Our own few lines rather than cli-progress: the line is a pure function of
 * the state (`formatProgress`, tested without a clock), and piped output (one
 * final line per bar) would be ours to write with it too.
 */
export function createProgress(
  stream: NodeJS.WritableStream & { isTTY?: boolean; columns?: number },
  options: { quiet?: boolean; now?: () => number } = {},
): Progress {
  const interactive = !!stream.isTTY && !options.quiet;
  const now = options.now ?? (() => performance.now());
  let state: ProgressState = { label: '', done: 0, total: 0, elapsedMs: 0 };
  let startedAt = 0;
  let drawnAt = -Infinity;
  let updated = false;
  let updatedAt = 0;
  const line = (extra: Partial<ProgressState> = {}): string => {
    const text = formatProgress({ ...state, elapsedMs: now() - startedAt, ...extra });
    // A line wider than the terminal would wrap, and `\r` would then redraw only its last row.
    const columns = stream.columns ?? 0;
    return columns > 0 && text.length >= columns ? `${text.slice(0, columns - 2)}…` : text;
  };
  return {
    start(label, total, startOptions = {}) {
      startedAt = now();
      drawnAt = startedAt;
      updated = false;
      const done = startOptions.done ?? 0;
      state = { label, total, done, startDone: done, elapsedMs: 0, ...(startOptions.samples !== undefined ? { samples: startOptions.samples } : {}) };
      if (interactive) stream.write(line());
    },
    update(done, status) {
      state = { ...state, done, ...(status !== undefined ? { status } : {}) };
      updated = true;
      const time = now();
      updatedAt = time;
      if (interactive && (time - drawnAt >= 100 || done >= state.total)) {
        drawnAt = time;
        stream.write(`\r${line()}\x1b[K`);
      }
    },
    finish(status) {
      // With a status the work is complete; without one (interrupted) the line shows where it stopped.
      // The rate stops at the last update when that update is what the line shows.
      const work = updated && (status === undefined || state.done >= state.total) ? { workMs: updatedAt - startedAt } : {};
      const final = line({ finished: true, ...work, ...(status !== undefined ? { status, done: state.total } : {}), ...(!updated && status === undefined ? { done: state.total } : {}) });
      if (interactive) stream.write(`\r${final}\x1b[K\n`);
      else if (!options.quiet) stream.write(`${final}\n`);
      updated = false;
    },
    log(text) {
      stream.write(`${text}\n`);
    },
  };
}

/** A Progress that prints nothing (library use and tests). */
export const silentProgress: Progress = { start() {}, update() {}, finish() {}, log() {} };
