/**
 * Layer-name helper: with a modality, layers are named `<modality>_<part>` so
 * two encoders in one model never clash and saved models read clearly;
 * without one, tfjs picks unique names.
 */
export function layerNamer(prefix: string | undefined): (part: string) => { name?: string } {
  return (part) => (prefix ? { name: `${prefix}_${part}` } : {});
}
