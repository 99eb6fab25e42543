import type { Callback, EpochLog, StepLog } from '@polyfuse/trainer';
import type { Progress } from '../program/progress.js';

/**
 * A trainer callback that draws a progress bar per epoch (elapsed time, ETA,
 * samples/s when `samplesPerEpoch` is given) and prints an epoch summary line.
 */
export function progressCallback(progress: Progress, epochs: number, batchesPerEpoch: number, samplesPerEpoch?: number): Callback {
  const samples = samplesPerEpoch !== undefined ? { samples: samplesPerEpoch } : {};
  return {
    name: 'cli-progress',
    onTrainBegin(trainer) {
      // A run resumed mid-epoch gets no onEpochBegin for that epoch.
      if (trainer.state.batchInEpoch > 0) progress.start(`epoch ${trainer.state.epoch + 1}/${epochs}`, batchesPerEpoch, { ...samples, done: trainer.state.batchInEpoch });
    },
    onEpochBegin(epoch) {
      progress.start(`epoch ${epoch + 1}/${epochs}`, batchesPerEpoch, samples);
    },
    onStepEnd(log: StepLog) {
      progress.update(log.batch + 1, `loss ${log.values['loss.total'].toFixed(4)}`);
    },
    onEpochEnd(log: EpochLog) {
      const v = log.values;
      const validation = Object.entries(v)
        .filter(([k]) => k.startsWith('val.') && !k.startsWith('val.loss.'))
        .map(([k, value]) => `${k.slice(4)} ${value.toFixed(4)}`);
      const summary = `loss ${v['loss.total'].toFixed(4)}${v['val.loss.total'] !== undefined ? ` | val loss ${v['val.loss.total'].toFixed(4)}` : ''}${validation.length ? ` ${validation.join(' ')}` : ''}`;
      progress.finish(summary);
    },
    onInterrupt() {
      progress.finish();
    },
  };
}
