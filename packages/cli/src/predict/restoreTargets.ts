import { createTarget, type Target } from '@polyfuse/data';
import type { PreprocessingState } from '../data/preprocessingState.js';

/**
 * The run's fitted targets (classes, vocabularies, regression scaling),
 * rebuilt from the saved preprocessing state the way @polyfuse/data restores
 * them for `loadDataset(spec, { state })`, but without reading any label from
 * the samples: prediction has none. Used to name classes, decode generated
 * token ids and undo standardisation.
 */
export function restoreTargets(preprocessing: PreprocessingState): Record<string, Target> {
  const targets: Record<string, Target> = {};
  for (const [name, saved] of Object.entries(preprocessing.state.labels)) {
    const target = createTarget(name, { ...(preprocessing.spec.labels?.[name] ?? {}), type: saved.type });
    target.setState(saved.state !== undefined ? saved.state : { classes: saved.classes, size: 1 });
    targets[name] = target;
  }
  return targets;
}
