import type { tf } from '../tf.js';
import { ConfigError } from '../errors/errors.js';
import { registry } from '../registry/registry.js';
import { isDecoderHead, type DecoderHead } from '../contracts/head.js';
import type { MultimodalMetadata } from '../model/multimodalModel.js';

/**
 * The decoder of each sequence head of a loaded model, rebuilt from the
 * registry on the model's own (loaded) layers, so greedy and beam decoding
 * use the trained weights. The package that registers the head
 * (`@polyfuse/text` for `text-decoder`) must be imported.
 */
export function restoreDecoders(model: tf.LayersModel, metadata: MultimodalMetadata): Record<string, DecoderHead> {
  const decoders: Record<string, DecoderHead> = {};
  const layers = new Map(model.layers.map((layer) => [layer.name, layer]));
  for (const [head, info] of Object.entries(metadata.heads ?? {})) {
    if (info.kind !== 'tokens') continue;
    if (!registry.has('head', info.spec.name)) {
      throw new ConfigError(`Head '${head}' is a '${info.spec.name}' decoder, which is not registered: import the package that defines it (for 'text-decoder', @polyfuse/text).`);
    }
    const built = registry.create<unknown>('head', info.spec.name, info.spec.config ?? {}, `heads.${head}`, {
      inputShape: info.contextShape,
      namePrefix: `head_${head}`,
      target: metadata.targets?.[info.target],
      existingLayer: (name: string) => layers.get(name),
    });
    if (!isDecoderHead(built)) throw new ConfigError(`Head '${head}' ('${info.spec.name}') did not rebuild as a decoder.`);
    decoders[head] = built;
  }
  return decoders;
}
