import { registry } from '@polyfuse/core';
import { createAudioCnnEncoder, audioCnnSchema } from './encoders/audioCnn.js';
import { createAudioCnn1dEncoder, audioCnn1dSchema } from './encoders/audioCnn1d.js';
import { createAudioTransformerEncoder, audioTransformerSchema } from './encoders/audioTransformer.js';

/**
 * Registers the audio encoders (`encoder/audio-cnn`, `encoder/audio-cnn1d`,
 * `encoder/audio-transformer`). Runs when the package is imported; calling it
 * again is a no-op.
 */
export function registerAudioEncoders(): void {
  const entries = [
    { name: 'audio-cnn', description: '2-D CNN over a log-mel spectrogram [nMels, frames, 1] -> [units].', schema: audioCnnSchema, create: createAudioCnnEncoder },
    { name: 'audio-cnn1d', description: '1-D CNN (M5-style) over the waveform [samples, 1] -> [units].', schema: audioCnn1dSchema, create: createAudioCnn1dEncoder },
    { name: 'audio-transformer', description: 'Transformer over spectrogram frames -> [modelDim] (pooling: mean) or [frames, modelDim] (pooling: sequence).', schema: audioTransformerSchema, create: createAudioTransformerEncoder },
  ];
  for (const entry of entries) {
    if (!registry.has('encoder', entry.name)) registry.register({ kind: 'encoder', ...entry });
  }
}

registerAudioEncoders();
