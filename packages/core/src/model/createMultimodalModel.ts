import { registry } from '../registry/registry.js';
import { withSeed } from '../random/withSeed.js';
import type { ComponentSpec } from '../contracts/componentSpec.js';
import type { Encoder } from '../contracts/encoder.js';
import type { Fusion, FusionContext } from '../contracts/fusion.js';
import type { Head, HeadContext } from '../contracts/head.js';
import type { TargetInfo } from '../contracts/target.js';
import type { NamedHeadSpec } from '../heads/namedHead.js';
import { ConfigError } from '../errors/errors.js';
import { MultimodalModel } from './multimodalModel.js';

/** A model described by registry names, as a config file writes it. */
export interface MultimodalModelSpec {
  /** Encoder per modality: `{ image: { name: 'image-cnn', config: {...} } }`. */
  encoders: Record<string, ComponentSpec>;
  /** How the modalities combine; optional when every named head reads a modality's own embedding. */
  fusion?: ComponentSpec;
  /** One classification head on the fused embedding (output `logits`). */
  head?: ComponentSpec;
  /** When set, a head of this spec on each modality's own embedding (outputs `logits_<modality>`). */
  auxiliaryHeads?: ComponentSpec;
  /** Named heads, one per target (see docs/tasks.md); their sizes come from the fitted targets. */
  heads?: Record<string, NamedHeadSpec>;
  /** Weight-initialisation seed: same seed, identical weights. Default 0. */
  seed?: number;
}

/**
 * Builds a model from registry names. The packages that register the named
 * components (`@polyfuse/image`, `@polyfuse/fusion`, ...) must be imported first.
 * Named heads need `targets`: the fitted targets they predict (from
 * @polyfuse/data's `Dataset.targetInfo()`).
 */
export function createMultimodalModel(spec: MultimodalModelSpec, options: { targets?: Record<string, TargetInfo> } = {}): MultimodalModel {
  if (spec.heads && Object.keys(spec.heads).length > 0 && !options.targets) {
    throw new ConfigError('createMultimodalModel: model.heads are sized from the fitted targets; pass options.targets (Dataset.targetInfo()).');
  }
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
    const fusion = spec.fusion ? registry.create<Fusion>('fusion', spec.fusion.name, spec.fusion.config, undefined, { ...fusionContext }) : undefined;
    let head: Head | undefined;
    if (spec.head) {
      if (!fusion) throw new ConfigError('model.head reads the fused embedding: add model.fusion (or use model.heads with a modality input).');
      const headContext: HeadContext = { inputShape: fusion.outputShape };
      head = registry.create<Head>('head', spec.head.name, spec.head.config, undefined, { ...headContext });
    }
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
    const heads = spec.heads && Object.keys(spec.heads).length > 0 ? { specs: spec.heads, targets: options.targets! } : undefined;
    return MultimodalModel.fromParts({ encoders, ...(fusion ? { fusion } : {}), ...(head ? { head } : {}), ...(auxiliaryHeads ? { auxiliaryHeads } : {}), ...(heads ? { heads } : {}) }, { spec });
  });
}
