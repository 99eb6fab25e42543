import { LogMelPreprocessor, encodeWav } from '@polyfuse/audio';
import { SeededRandom } from '@polyfuse/core';
import settings from './settings.json';

const logMel = new LogMelPreprocessor(settings.audio);

/**
 * A WAV file's bytes → the model's audio input (40 mel bands × 32 frames),
 * with the very preprocessor the model was trained with: decode, downmix,
 * resample to 8 kHz, keep the middle 0.97 s, log-mel, per-utterance
 * normalisation.
 */
export function wavToLogMel(bytes: Uint8Array): Promise<Float32Array> {
  return logMel.process(bytes, { training: false, baseDir: '', rng: new SeededRandom(0) });
}

/**
 * Records `seconds` of microphone audio (at the device's rate, usually
 * 48 kHz) and returns it as WAV bytes, so a recording goes through exactly
 * the path an uploaded WAV does (resampled to 8 kHz by the preprocessor).
 */
export async function recordWav(seconds: number): Promise<Uint8Array> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: false, noiseSuppression: false } });
  try {
    const recorder = new MediaRecorder(stream);
    const chunks: Blob[] = [];
    recorder.ondataavailable = (event) => chunks.push(event.data);
    const stopped = new Promise((resolve) => (recorder.onstop = resolve));
    recorder.start();
    await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
    recorder.stop();
    await stopped;
    const context = new AudioContext();
    try {
      const audio = await context.decodeAudioData(await new Blob(chunks).arrayBuffer());
      return encodeWav(audio.getChannelData(0), audio.sampleRate);
    } finally {
      await context.close();
    }
  } finally {
    for (const track of stream.getTracks()) track.stop();
  }
}
