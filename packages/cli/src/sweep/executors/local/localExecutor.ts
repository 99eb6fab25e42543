import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { makeDirectory } from '@polyfuse/core/node';
import type { CommandIo } from '../../../program/commandIo.js';
import { exitCodes } from '../../../program/exitCodes.js';
import type { SweepPlan } from '../../sweepPlan.js';
import { formatRunLine, lastEpoch, type LocalRunView } from './runLine.js';

export interface LocalSweepInput {
  plan: SweepPlan;
  /** The runs to start, in this order. */
  indices: number[];
  /** Runs at once. */
  parallel: number;
  /** Argv that starts polyfuse (`polyfuseCommand()`). */
  polyfuseCommand: string[];
  /** Global options passed on to every run (`--backend wasm`). */
  globalArgs?: string[];
  io: CommandIo;
  /** Redraw interval of the progress lines on a terminal. Default 1000 ms. */
  redrawMs?: number;
}

export interface LocalSweepResult {
  /** 0 when every run finished; 1 when one failed; 130 / 143 when a signal stopped the sweep. */
  exitCode: number;
  runs: LocalRunView[];
}

/** The signals that stop a local sweep; the children are sent one SIGTERM each, so they checkpoint and exit. */
const stopSignals = { SIGINT: exitCodes.interrupted, SIGTERM: exitCodes.terminated } as const;

/**
 * The local executor: starts `polyfuse sweep run <file> --index <i>` as a
 * child process per run, at most `parallel` at once, each child's output
 * going to `<run>/sweep.log` (appended, one header per attempt). It prints a
 * progress line per run: redrawn in place on a terminal, one line per start
 * and end otherwise. A failed run does not stop the others. Children run in
 * their own process group, so a Ctrl-C reaches only this process, which then
 * starts no more runs and sends each running child one SIGTERM: the child
 * finishes its step, saves a checkpoint and exits, and `--resume` continues
 * it. A second Ctrl-C or SIGTERM kills the children at once.
 */
export async function runLocalSweep(input: LocalSweepInput): Promise<LocalSweepResult> {
  const { plan, io } = input;
  const views: LocalRunView[] = input.indices.map((index) => ({ index, id: plan.runs[index]!.id, state: 'queued' }));
  const idWidth = Math.max(...views.map((v) => v.id.length));
  const interactive = !!io.stderr.isTTY;
  const queue = [...views];
  const children = new Map<number, ChildProcess>();
  let stoppedBy: keyof typeof stopSignals | undefined;
  let drawnLines = 0;

  const draw = (): void => {
    if (!interactive) return;
    const now = performance.now();
    const lines = views.map((v) => formatRunLine(v, now, idWidth));
    io.stderr.write(`${drawnLines > 0 ? `\x1b[${drawnLines}A` : ''}${lines.map((l) => `\r${l}\x1b[K\n`).join('')}`);
    drawnLines = lines.length;
  };
  const announce = (view: LocalRunView): void => {
    if (interactive) draw();
    else io.stderr.write(`${formatRunLine(view, performance.now(), idWidth)}\n`);
  };

  const onSignal = (signal: keyof typeof stopSignals): void => {
    if (stoppedBy) {
      for (const child of children.values()) child.kill('SIGKILL');
      return;
    }
    stoppedBy = signal;
    if (!interactive) io.stderr.write(`\n${signal}: stopping the ${children.size} running run(s) after their current step (again to kill them now)...\n`);
    for (const child of children.values()) child.kill('SIGTERM');
  };
  const handlers = { SIGINT: () => onSignal('SIGINT'), SIGTERM: () => onSignal('SIGTERM') };
  for (const [signal, handler] of Object.entries(handlers)) process.on(signal, handler);
  const timer = interactive ? setInterval(draw, input.redrawMs ?? 1000) : undefined;

  const start = async (view: LocalRunView): Promise<void> => {
    const run = plan.runs[view.index]!;
    await makeDirectory(run.outDir);
    const log = createWriteStream(path.join(run.outDir, 'sweep.log'), { flags: 'a' });
    const args = [...input.polyfuseCommand.slice(1), ...(input.globalArgs ?? []), 'sweep', 'run', plan.sweepFile, '--index', String(view.index)];
    log.write(`--- ${new Date().toISOString()}: ${[input.polyfuseCommand[0], ...args].join(' ')}\n`);
    const child = spawn(input.polyfuseCommand[0]!, args, { cwd: path.dirname(plan.sweepFile), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    children.set(view.index, child);
    Object.assign(view, { state: 'running', startedAt: performance.now() });
    announce(view);
    let tail = '';
    child.stdout!.pipe(log, { end: false });
    child.stderr!.on('data', (chunk: Buffer) => {
      log.write(chunk);
      tail = (tail + chunk.toString('utf8')).slice(-400);
      view.epoch = lastEpoch(tail) ?? view.epoch;
    });
    const exitCode = await new Promise<number | null>((resolve) => {
      child.on('error', (error) => {
        log.write(`could not start: ${error.message}\n`);
        resolve(null);
      });
      child.on('close', (code, signal) => resolve(code ?? (signal ? 128 + (signal === 'SIGKILL' ? 9 : 15) : null)));
    });
    children.delete(view.index);
    await new Promise<void>((resolve) => log.end(resolve));
    const stopped = exitCode === exitCodes.interrupted || exitCode === exitCodes.terminated;
    Object.assign(view, { state: exitCode === 0 ? 'done' : stopped ? 'stopped' : 'failed', endedAt: performance.now(), exitCode });
    announce(view);
  };

  const worker = async (): Promise<void> => {
    for (let view = queue.shift(); view && !stoppedBy; view = queue.shift()) await start(view);
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(input.parallel, views.length)) }, worker));
  } finally {
    if (timer) clearInterval(timer);
    draw();
    for (const [signal, handler] of Object.entries(handlers)) process.off(signal, handler);
  }
  const exitCode = stoppedBy ? stopSignals[stoppedBy] : views.some((v) => v.state !== 'done') ? exitCodes.failure : exitCodes.ok;
  return { exitCode, runs: views };
}
