/** Layer-name options with the modality as prefix, so two encoders in one model never clash. */
export function layerNamer(modality: unknown, encoder: string): (part: string) => { name?: string } {
  const prefix = typeof modality === 'string' ? `${modality}_${encoder}` : undefined;
  return (part) => (prefix ? { name: `${prefix}_${part}` } : {});
}
