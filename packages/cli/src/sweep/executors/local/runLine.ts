import { formatDuration } from '../../../program/progress.js';

/** What the local executor knows of one run while the sweep goes on. */
export interface LocalRunView {
  index: number;
  id: string;
  state: 'queued' | 'running' | 'done' | 'failed' | 'stopped';
  /** Epochs finished and in total, read from the run's progress output (its line at the end of each epoch). */
  epoch?: { current: number; total: number };
  /** When it started and ended (ms, the executor's clock). */
  startedAt?: number;
  endedAt?: number;
  exitCode?: number | null;
}

/**
 * One progress line of a run: `0002-fusion=gated  running  2/8 epochs  1:05`.
 * A pure function of the view and the clock, so it is tested without one.
 */
export function formatRunLine(view: LocalRunView, now: number, idWidth = view.id.length): string {
  const elapsed = view.startedAt === undefined ? '' : formatDuration(((view.endedAt ?? now) - view.startedAt) / 1000);
  const epoch = view.epoch && view.state === 'running' ? `${view.epoch.current}/${view.epoch.total} epochs` : '';
  const exit = view.state === 'failed' && view.exitCode !== undefined ? `exit ${view.exitCode}` : '';
  return [view.id.padEnd(idWidth), view.state.padEnd(7), epoch || exit, elapsed].filter((part, i) => i < 2 || part !== '').join('  ').trimEnd();
}

/** The last epoch a run's progress output finished (its `epoch 3/8 ...` lines, printed as each epoch ends when piped), if any. */
export function lastEpoch(text: string): { current: number; total: number } | undefined {
  const matches = [...text.matchAll(/epoch (\d+)\/(\d+)/g)];
  const last = matches[matches.length - 1];
  return last ? { current: Number(last[1]), total: Number(last[2]) } : undefined;
}
