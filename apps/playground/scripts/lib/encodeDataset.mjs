// Writes the in-page training set in the format src/training/dataset.ts reads.

/** Log-mel values are normalised per utterance (mean 0, std 1); int8 steps of 1/32 cover -4..3.97. */
export const logMelStep = 1 / 32;
const magic = 0x53444650; // "PFDS" little-endian
const splitCodes = { train: 0, val: 1, test: 2 };

/**
 * `samples`: `{ label, pixels: Uint8Array (28x28 grey), logMel: Float32Array (40x32) }`.
 * Layout: a 24-byte header (magic, version 1, count, pixels per sample,
 * log-mel values per sample, log-mel step as float32), then per sample:
 * label u8, split u8, pixels u8[], log-mel int8[].
 */
export function encodeDataset(samples, splits) {
  const pixelCount = samples[0].pixels.length;
  const melCount = samples[0].logMel.length;
  const stride = 2 + pixelCount + melCount;
  const bytes = new Uint8Array(24 + samples.length * stride);
  const header = new DataView(bytes.buffer);
  header.setUint32(0, magic, true);
  header.setUint32(4, 1, true);
  header.setUint32(8, samples.length, true);
  header.setUint32(12, pixelCount, true);
  header.setUint32(16, melCount, true);
  header.setFloat32(20, logMelStep, true);
  samples.forEach((sample, i) => {
    if (sample.pixels.length !== pixelCount || sample.logMel.length !== melCount) throw new Error(`sample ${i} has another size than sample 0`);
    const offset = 24 + i * stride;
    bytes[offset] = sample.label;
    bytes[offset + 1] = splitCodes[splits[i]];
    bytes.set(sample.pixels, offset + 2);
    const mel = new Int8Array(bytes.buffer, offset + 2 + pixelCount, melCount);
    for (let j = 0; j < melCount; j++) mel[j] = Math.max(-128, Math.min(127, Math.round(sample.logMel[j] / logMelStep)));
  });
  return bytes;
}
