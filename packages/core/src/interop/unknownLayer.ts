import { tf } from '../tf.js';
import { InputError } from '../errors/errors.js';

/**
 * The package that registers each polyfuse layer class (its static
 * `className`), so a loader error can say what to import. Kept in step with
 * the packages' sources by `unknownLayer.test.ts`.
 */
export const polyfuseLayerPackages: Readonly<Record<string, string>> = {
  PolyfuseBatchNormalization: '@polyfuse/core',
  PolyfuseConv2D: '@polyfuse/core',
  PolyfuseFirstToken: '@polyfuse/core',
  PolyfuseFusedGru: '@polyfuse/core',
  PolyfuseFusedLstm: '@polyfuse/core',
  PolyfuseLogitScale: '@polyfuse/core',
  PolyfuseMaskedMeanPooling: '@polyfuse/core',
  PolyfuseMultiHeadAttention: '@polyfuse/core',
  PolyfusePaddingMask: '@polyfuse/core',
  PolyfusePositionEmbedding: '@polyfuse/core',
  PolyfuseSequenceOnes: '@polyfuse/core',
  PolyfuseAttentionFusion: '@polyfuse/fusion',
  PolyfuseConcatFusion: '@polyfuse/fusion',
  PolyfuseCrossModalTransformer: '@polyfuse/fusion',
  PolyfuseEarlyFusion: '@polyfuse/fusion',
  PolyfuseFilmFusion: '@polyfuse/fusion',
  PolyfuseGatedFusion: '@polyfuse/fusion',
  PolyfuseLateFusion: '@polyfuse/fusion',
  PolyfuseLowRankFusion: '@polyfuse/fusion',
  PolyfuseSumFusion: '@polyfuse/fusion',
  PolyfuseTensorFusion: '@polyfuse/fusion',
  PolyfuseWeightedFusion: '@polyfuse/fusion',
  PolyfuseClassToken: '@polyfuse/image',
  PolyfuseGraphModelLayer: '@polyfuse/image',
  PolyfuseApplyMask: '@polyfuse/text',
};

/** The package to import for a polyfuse layer class; undefined for other classes. */
export function packageOfLayer(className: string): string | undefined {
  if (polyfuseLayerPackages[className]) return polyfuseLayerPackages[className];
  if (/^Polyfuse\w*Fusion$/.test(className)) return '@polyfuse/fusion';
  return undefined;
}

/**
 * Turns TF.js's "Unknown layer: PolyfuseXxx" (from `tf.loadLayersModel` when
 * the package that registers the layer was not imported) into an
 * `InputError` that names the package to import. TF.js stops at the first
 * unknown class; given the model's `modelTopology` (model.json's), the error
 * names every unregistered polyfuse layer class and its package. Any other
 * error comes back as it was, so it fits a catch block:
 *
 * ```ts
 * const model = await tf.loadLayersModel(url).catch((error) => { throw explainUnknownLayer(error); });
 * ```
 */
export function explainUnknownLayer(error: unknown, modelTopology?: unknown): unknown {
  const message = error instanceof Error ? error.message : String(error);
  const first = /Unknown layer: (\w+)/.exec(message)?.[1];
  if (!first || !first.startsWith('Polyfuse')) return error;
  const missing = [first, ...unregisteredPolyfuseClasses(modelTopology).filter((c) => c !== first)];
  const known = missing.filter((c) => packageOfLayer(c));
  const unknown = missing.filter((c) => !packageOfLayer(c));
  const packages = [...new Set(known.map((c) => packageOfLayer(c)!))];
  const parts: string[] = [];
  if (known.length > 0) {
    parts.push(`${known.map((c) => `${c} (${packageOfLayer(c)})`).join(', ')}: add ${packages.map((p) => `\`import '${p}';\``).join(' ')} before loading the model`);
  }
  if (unknown.length > 0) {
    parts.push(`${unknown.join(', ')}: not a layer of this version of polyfuse; import the plugin or newer polyfuse package that defines it before loading the model`);
  }
  const subject = missing.length === 1 ? 'a layer class that TF.js does not know until its package is imported' : 'layer classes that TF.js does not know until their packages are imported';
  return new InputError(`The saved model uses ${subject}: ${parts.join('; ')}.`, { cause: error });
}

/** Polyfuse layer classes a `modelTopology` uses that are not registered with TF.js, in order of appearance. */
export function unregisteredPolyfuseClasses(modelTopology: unknown): string[] {
  if (!modelTopology || typeof modelTopology !== 'object') return [];
  const registered = tf.serialization.SerializationMap.getMap().classNameMap;
  const found = new Set<string>();
  JSON.stringify(modelTopology, (key, value: unknown) => {
    if (key === 'class_name' && typeof value === 'string' && value.startsWith('Polyfuse') && !(value in registered)) found.add(value);
    return value;
  });
  return [...found];
}
