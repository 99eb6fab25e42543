/** `log(exp(a) + exp(b))` without overflow; `-Infinity` is the identity. */
export function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

/** `log(sum(exp(values[offset .. offset + length))))`, stable; `-Infinity` for no mass. */
export function logSumExp(values: ArrayLike<number>, offset = 0, length = values.length - offset): number {
  let max = -Infinity;
  for (let i = 0; i < length; i++) if (values[offset + i]! > max) max = values[offset + i]!;
  if (max === -Infinity || !Number.isFinite(max)) return max;
  let sum = 0;
  for (let i = 0; i < length; i++) sum += Math.exp(values[offset + i]! - max);
  return max + Math.log(sum);
}

/** Softmax of log-scores, as probabilities that sum to 1. */
export function softmaxFromLogs(logs: ArrayLike<number>): Float64Array {
  const total = logSumExp(logs);
  return Float64Array.from({ length: logs.length }, (_, i) => Math.exp(logs[i]! - total));
}
