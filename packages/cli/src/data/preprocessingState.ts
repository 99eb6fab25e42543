import { ConfigError, InputError, registry, type Preprocessor } from '@polyfuse/core';
import type { DatasetSpec } from '@polyfuse/data';
import type { DatasetState } from '@polyfuse/data/node';

/**
 * What prediction needs to preprocess new samples exactly as training did,
 * saved as `preprocessing.json` beside the model files: the dataset spec
 * (which field holds each modality, which preprocessor with which options)
 * and @polyfuse/data's DatasetState (fitted preprocessor states such as
 * vocabularies and statistics, and each label's classes).
 */
export interface PreprocessingState {
  format: 'polyfuse-preprocessing';
  version: 2;
  spec: DatasetSpec;
  state: DatasetState;
}

export const preprocessingFileName = 'preprocessing.json';

export function preprocessingState(spec: DatasetSpec, state: DatasetState): PreprocessingState {
  return { format: 'polyfuse-preprocessing', version: 2, spec, state };
}

/** Checks a parsed preprocessing.json. */
export function checkPreprocessingState(value: unknown, source: string): PreprocessingState {
  const state = value as Partial<PreprocessingState> | null;
  if (state?.format !== 'polyfuse-preprocessing' || state.version !== 2 || !state.spec || !state.state) {
    throw new InputError(`${source} is not a polyfuse preprocessing file (version 2): write it again with 'polyfuse train'.`);
  }
  return state as PreprocessingState;
}

/** Class names of a label, in index order. */
export function labelClasses(state: PreprocessingState, label?: string): string[] {
  const name = label ?? Object.keys(state.state.labels)[0];
  return state.state.labels[name].classes;
}

/**
 * Rebuilds the fitted preprocessors from a saved state, through the registry
 * only, so the same code works in a browser (where @polyfuse/data is not used).
 */
export function restorePreprocessors(state: PreprocessingState, source: string): Record<string, Preprocessor> {
  const out: Record<string, Preprocessor> = {};
  for (const [modality, saved] of Object.entries(state.state.preprocessors)) {
    if (!registry.has('preprocessor', saved.name)) {
      throw new ConfigError(`${source}: modality '${modality}' needs preprocessor '${saved.name}', which is not registered. Import the package that defines it (list it under "plugins").`);
    }
    const preprocessor = registry.create<Preprocessor>('preprocessor', saved.name, saved.config);
    if (saved.state !== undefined) preprocessor.setState?.(saved.state);
    out[modality] = preprocessor;
  }
  return out;
}
