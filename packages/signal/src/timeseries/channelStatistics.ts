/** Per-channel mean and population std of `[T, C]` series (all values pooled); a zero std becomes 1. */
export function channelStatistics(series: Float32Array[], channels: number): { mean: number[]; std: number[] } {
  const sum = new Float64Array(channels);
  const squares = new Float64Array(channels);
  let steps = 0;
  for (const s of series) {
    for (let i = 0; i < s.length; i++) {
      sum[i % channels]! += s[i]!;
      squares[i % channels]! += s[i]! * s[i]!;
    }
    steps += s.length / channels;
  }
  const mean = Array.from(sum, (x) => x / Math.max(1, steps));
  const std = Array.from(squares, (x, c) => {
    const variance = x / Math.max(1, steps) - mean[c]! ** 2;
    return variance > 1e-12 ? Math.sqrt(variance) : 1;
  });
  return { mean, std };
}

/** `(x - mean[c]) / std[c]` per channel, in place. */
export function normaliseChannels(series: Float32Array, channels: number, mean: number[], std: number[]): void {
  for (let i = 0; i < series.length; i++) series[i] = (series[i]! - mean[i % channels]!) / std[i % channels]!;
}
