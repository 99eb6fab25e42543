import { ConfigError, registry, type MultimodalModelSpec, type Preprocessor } from '@polyfuse/core';

/** Encoder options that the fitted preprocessors decide when a config leaves them out. */
export const dataSizedKeys = ['vocabSize', 'maxLength'] as const;

/**
 * The model spec with the sizes the fitted preprocessors decide filled in
 * where the config leaves them out: a text encoder's `vocabSize` (the
 * tokenizer's) and `maxLength` (the preprocessor's), so nobody types them.
 */
export function withDataSizes(model: MultimodalModelSpec, preprocessors: Record<string, Preprocessor>): MultimodalModelSpec {
  const encoders = Object.fromEntries(
    Object.entries(model.encoders).map(([modality, spec]) => {
      const config = { ...(spec.config ?? {}) };
      const preprocessor = preprocessors[modality] as (Preprocessor & { vocabSize?: number }) | undefined;
      const schema = registry.has('encoder', spec.name) ? registry.get('encoder', spec.name).schema : undefined;
      for (const key of dataSizedKeys) {
        if (config[key] !== undefined || !preprocessor || !schema?.[key]) continue;
        const value = key === 'vocabSize' ? preprocessor.vocabSize : (preprocessor.config.maxLength as number | undefined);
        if (value === undefined) throw new ConfigError(`model.encoders.${modality}.config.${key} is required: the '${modality}' preprocessor does not provide it.`);
        config[key] = value;
      }
      return [modality, { ...spec, config }];
    }),
  );
  return { ...model, encoders };
}
