import { registry, type Preprocessor } from '@polyfuse/core';
import { LogMelPreprocessor, MfccPreprocessor, logMelSchema, mfccSchema } from '../preprocessors/logMelPreprocessor.js';
import { WaveformPreprocessor, waveformSchema } from '../preprocessors/waveformPreprocessor.js';
import { readAudioBytes } from './readWavFile.js';

/**
 * Registers `preprocessor/audio-logmel`, `preprocessor/audio-mfcc` and `preprocessor/audio-waveform`
 * with a Node file reader, so manifest paths (relative to the manifest
 * folder) are read from disk. Runs when `@polyfuse/audio/node` is imported.
 */
export function registerAudioFilePreprocessors(): void {
  const entries = [
    { name: 'audio-logmel', description: 'WAV file -> fixed-size log-mel [nMels, frames, 1], with seeded training augmentation.', schema: logMelSchema, build: (c: Record<string, unknown>) => new LogMelPreprocessor(c, { readFile: readAudioBytes }) },
    { name: 'audio-mfcc', description: 'WAV file -> MFCCs with deltas [nMfcc * (1 + deltas), frames, 1] (default 39 x 32 x 1).', schema: mfccSchema, build: (c: Record<string, unknown>) => new MfccPreprocessor(c, { readFile: readAudioBytes }) },
    { name: 'audio-waveform', description: 'WAV file -> fixed-length mono waveform [samples, 1], with seeded training augmentation.', schema: waveformSchema, build: (c: Record<string, unknown>) => new WaveformPreprocessor(c, { readFile: readAudioBytes }) },
  ];
  for (const { name, description, schema, build } of entries) {
    if (registry.has('preprocessor', name)) continue;
    registry.register<Record<string, unknown>, Preprocessor>({ kind: 'preprocessor', name, description, schema, create: build });
  }
}

registerAudioFilePreprocessors();
