/** Name of the presence-mask input of a modality. */
export const maskInputName = (modality: string): string => `mask_${modality}`;

/** Name of the model's main (fused) output. */
export const mainOutputName = 'logits';

/** Name of a unimodal auxiliary head's output. */
export const auxiliaryOutputName = (modality: string): string => `${mainOutputName}_${modality}`;
