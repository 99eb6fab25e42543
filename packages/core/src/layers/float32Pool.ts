/**
 * Reusable Float32Arrays, by length. Allocating a fresh megabyte-sized typed
 * array costs milliseconds of page faults on the machines we measured
 * (bench/README.md), so kernels that run every training step (FusedGru's
 * saved activations and gradients) take their scratch arrays from here and
 * give them back when done. Arrays that are never given back (a forward pass
 * without a backward one) are simply garbage-collected: the pool only holds
 * free arrays, at most `perLength` of each length.
 */
export class Float32Pool {
  private readonly free = new Map<number, Float32Array[]>();

  constructor(private readonly perLength = 8) {}

  /** An array of `length` floats with unspecified contents (zeroed when `zero`). */
  take(length: number, zero = false): Float32Array {
    const reused = this.free.get(length)?.pop();
    if (!reused) return new Float32Array(length);
    if (zero) reused.fill(0);
    return reused;
  }

  /** Gives arrays back; the caller must not use them afterwards. */
  give(...arrays: Float32Array[]): void {
    for (const array of arrays) {
      const list = this.free.get(array.length) ?? [];
      if (list.length < this.perLength && !list.includes(array)) list.push(array);
      this.free.set(array.length, list);
    }
  }
}
