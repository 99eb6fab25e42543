import { registry } from '../registry/registry.js';
import { withSeed } from '../random/withSeed.js';
import type { ComponentSpec } from '../contracts/componentSpec.js';
import type { Encoder } from '../contracts/encoder.js';
import type { Fusion, FusionContext } from '../contracts/fusion.js';
import type { Head, HeadContext } from '../contracts/head.js';
import { MultimodalModel } from './multimodalModel.js';

/** A model described by registry names, as a config file writes it. */
export interface MultimodalModelSpec {
  /** Encoder per modality: `{ image: { name: 'image-cnn', config: {...} } }`. */
  encoders: Record<string, ComponentSpec>;
  fusion: ComponentSpec;
  head: ComponentSpec;
  /** When set, a head of this spec on each modality's own embedding (outputs `logits_<modality>`). */
  auxiliaryHeads?: ComponentSpec;
  /** Weight-initialisation seed: same seed, identical weights. Default 0. */
  seed?: number;
}

/**
 * Builds a model from registry names. The packages that register the named
 * components (`@polyfuse/image`, `@polyfuse/fusion`, ...) must be imported first.
 */
export function createMultimodalModel(spec: MultimodalModelSpec): MultimodalModel {
  return withSeed(spec.seed ?? 0, () => {
    const encoders: Record<string, Encoder> = {};
    for (const [modality, encoderSpec] of Object.entries(spec.encoders)) {
      encoders[modality] = registry.create<Encoder>('encoder', encoderSpec.name, encoderSpec.config, undefined, {
        modality,
      });
    }
    const fusionContext: FusionContext = {
      inputShapes: Object.fromEntries(Object.entries(encoders).map(([m, e]) => [m, e.outputShape])),
    };
    const fusion = registry.create<Fusion>('fusion', spec.fusion.name, spec.fusion.config, undefined, { ...fusionContext });
    const headContext: HeadContext = { inputShape: fusion.outputShape };
    const head = registry.create<Head>('head', spec.head.name, spec.head.config, undefined, { ...headContext });
    let auxiliaryHeads: Record<string, Head> | undefined;
    if (spec.auxiliaryHeads) {
      auxiliaryHeads = {};
      for (const [modality, encoder] of Object.entries(encoders)) {
        auxiliaryHeads[modality] = registry.create<Head>('head', spec.auxiliaryHeads.name, spec.auxiliaryHeads.config, undefined, {
          inputShape: encoder.outputShape,
          namePrefix: `aux_${modality}`,
        });
      }
    }
    return MultimodalModel.fromParts({ encoders, fusion, head, auxiliaryHeads }, { spec });
  });
}
