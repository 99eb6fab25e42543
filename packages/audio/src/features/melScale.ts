export type MelScale = 'htk' | 'slaney';

const SLANEY_F_SP = 200 / 3;
const SLANEY_MIN_LOG_HZ = 1000;
const SLANEY_MIN_LOG_MEL = SLANEY_MIN_LOG_HZ / SLANEY_F_SP;
const SLANEY_LOG_STEP = Math.log(6.4) / 27;

/**
 * Hertz to mels. `htk`: `2595 log10(1 + f / 700)`. `slaney` (Auditory
 * Toolbox, librosa's default): linear `3f / 200` below 1 kHz, logarithmic
 * above. Same definitions as torchaudio's `_hz_to_mel`.
 */
export function hzToMel(frequency: number, scale: MelScale = 'htk'): number {
  if (scale === 'htk') return 2595 * Math.log10(1 + frequency / 700);
  if (frequency < SLANEY_MIN_LOG_HZ) return frequency / SLANEY_F_SP;
  return SLANEY_MIN_LOG_MEL + Math.log(frequency / SLANEY_MIN_LOG_HZ) / SLANEY_LOG_STEP;
}

/** Mels to hertz, the inverse of `hzToMel` (torchaudio `_mel_to_hz`). */
export function melToHz(mel: number, scale: MelScale = 'htk'): number {
  if (scale === 'htk') return 700 * (10 ** (mel / 2595) - 1);
  if (mel < SLANEY_MIN_LOG_MEL) return SLANEY_F_SP * mel;
  return SLANEY_MIN_LOG_HZ * Math.exp(SLANEY_LOG_STEP * (mel - SLANEY_MIN_LOG_MEL));
}
