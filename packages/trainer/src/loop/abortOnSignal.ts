/**
 * An AbortSignal that fires on SIGINT (Ctrl-C) or SIGTERM, for `trainer.fit({ signal })`:
 * the trainer finishes its step, callbacks save a checkpoint, and fit returns
 * `interrupted: true`. A second Ctrl-C exits at once with code 130.
 * Call `dispose()` when training is over to remove the handlers.
 */
export function abortOnSignal(signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): { signal: AbortSignal; dispose: () => void } {
  const controller = new AbortController();
  const handler = (): void => {
    if (controller.signal.aborted) process.exit(130);
    process.stderr.write('\nstopping after this step and saving a checkpoint (Ctrl-C again to quit now)\n');
    controller.abort();
  };
  for (const s of signals) process.on(s, handler);
  return {
    signal: controller.signal,
    dispose: () => {
      for (const s of signals) process.off(s, handler);
    },
  };
}
