/**
 * Layer names for one component of a model: with a modality, `<modality>_<component>_<part>`
 * (`image_vit_block1`), so two encoders in one model never clash and saved
 * models read clearly; without one, `{}`, and tfjs picks unique names.
 * Spread the result into a layer's args: `tf.layers.dense({ units, ...name('dense') })`.
 */
export function layerNamer(modality: unknown, component: string): (part: string) => { name?: string } {
  const prefix = layerNamePrefix(modality, component);
  return (part) => (prefix ? { name: `${prefix}_${part}` } : {});
}

/** The prefix `layerNamer` uses (`<modality>_<component>`), for helpers that take a `namePrefix`; undefined without a modality. */
export function layerNamePrefix(modality: unknown, component: string): string | undefined {
  return typeof modality === 'string' && modality !== '' ? `${modality}_${component}` : undefined;
}
