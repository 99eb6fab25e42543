import { ConfigError, InputError, registry, type ComponentSpec, type Preprocessor } from '@polyfuse/core';
import type { DataConfig } from '../config/runConfig.js';

/**
 * What prediction needs to preprocess new samples exactly as training did:
 * each modality's field, preprocessor spec and fitted state (vocabularies,
 * statistics), and each label's classes. Saved as `preprocessing.json` beside
 * the model files.
 */
export interface PreprocessingState {
  format: 'polyfuse-preprocessing';
  version: 1;
  modalities: Record<string, { field: string; type: string; preprocessor: ComponentSpec; required: boolean; state?: unknown }>;
  labels: Record<string, { field: string; classes: string[] }>;
}

export const preprocessingFileName = 'preprocessing.json';

/** Builds the preprocessors a data config names. */
export function createPreprocessors(data: Pick<DataConfig, 'modalities'>): Record<string, Preprocessor> {
  return Object.fromEntries(
    Object.entries(data.modalities).map(([modality, spec]) => [
      modality,
      registry.create<Preprocessor>('preprocessor', spec.preprocessor.name, spec.preprocessor.config, `data.modalities.${modality}.preprocessor.config`),
    ]),
  );
}

export function preprocessingState(data: DataConfig, preprocessors: Record<string, Preprocessor>, classes: Record<string, string[]>): PreprocessingState {
  return {
    format: 'polyfuse-preprocessing',
    version: 1,
    modalities: Object.fromEntries(
      Object.entries(data.modalities).map(([m, spec]) => {
        const state = preprocessors[m].getState?.();
        return [m, { field: spec.field, type: spec.type, preprocessor: spec.preprocessor, required: spec.required, ...(state !== undefined ? { state } : {}) }];
      }),
    ),
    labels: Object.fromEntries(Object.entries(data.labels).map(([name, spec]) => [name, { field: spec.field, classes: classes[name] }])),
  };
}

/** Rebuilds fitted preprocessors from a saved state. */
export function restorePreprocessors(state: PreprocessingState, source: string): Record<string, Preprocessor> {
  if (state?.format !== 'polyfuse-preprocessing') {
    throw new InputError(`${source} is not a polyfuse preprocessing file (format is ${JSON.stringify(state?.format)}).`);
  }
  const out: Record<string, Preprocessor> = {};
  for (const [modality, spec] of Object.entries(state.modalities)) {
    if (!registry.has('preprocessor', spec.preprocessor.name)) {
      throw new ConfigError(`${source}: modality '${modality}' needs preprocessor '${spec.preprocessor.name}', which is not registered. Import the package that defines it (list it under "plugins").`);
    }
    const preprocessor = registry.create<Preprocessor>('preprocessor', spec.preprocessor.name, spec.preprocessor.config);
    if (spec.state !== undefined) preprocessor.setState?.(spec.state);
    out[modality] = preprocessor;
  }
  return out;
}
