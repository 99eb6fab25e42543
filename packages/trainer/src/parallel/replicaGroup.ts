import { ConfigError, PolyfuseError } from '@polyfuse/core';

/** Raised in every replica when one of them failed or timed out, so none waits forever. */
export class ReplicaGroupError extends PolyfuseError {}

/** What each replica's `ReplicaGroup` is built from; plain data, so it can travel in `workerData`. */
export interface ReplicaGroupInit {
  rank: number;
  size: number;
  /** Counters for the barrier, the abort flag and each replica's vector length. */
  control: SharedArrayBuffer;
  /** One slot per replica: a weight, then up to `capacity` values. */
  values: SharedArrayBuffer;
  /** Floats each replica may contribute to one `allReduce`. */
  capacity: number;
  /** JSON that `broadcast` carries from replica 0 (two buffers). */
  message: SharedArrayBuffer;
  /** How long a replica waits for the others at a barrier before giving up. */
  timeoutMs: number;
}

// Int32 positions in `control`.
const ARRIVED = 0;
const GENERATION = 1;
const ABORTED = 2; // 0, or 1 + the rank that aborted
const MESSAGE_LENGTHS = 3; // one per buffer
const LENGTHS = 5; // then one length per rank and buffer

/*
 * Every exchange area is double-buffered: call k uses buffer k % 2, so one
 * barrier per call is enough. A replica can only write buffer k % 2 again at
 * call k + 2, after the barrier of call k + 1, which every other replica
 * reaches only once it has finished reading call k.
 */

/** Shared memory for `size` replicas; `capacity` floats per all-reduce, `messageBytes` per broadcast. */
export function createReplicaGroupInits(size: number, options: { capacity?: number; messageBytes?: number; timeoutMs?: number } = {}): ReplicaGroupInit[] {
  if (!Number.isInteger(size) || size < 1) throw new ConfigError(`replicas must be an integer >= 1, got ${size}.`);
  const capacity = options.capacity ?? 16 * 2 ** 20;
  const control = new SharedArrayBuffer((LENGTHS + 2 * size) * 4);
  // Pages are committed only when written, so a generous capacity costs no memory until used.
  const values = new SharedArrayBuffer(2 * size * (capacity + 1) * 4);
  const message = new SharedArrayBuffer(2 * (options.messageBytes ?? 2 ** 20));
  return Array.from({ length: size }, (_, rank) => ({ rank, size, control, values, capacity, message, timeoutMs: options.timeoutMs ?? 10 * 60_000 }));
}

/**
 * The replicas of a data-parallel run (one per thread) and the collective
 * operations they need, over shared memory: a barrier, a weighted
 * all-reduce of float vectors, and a broadcast from replica 0.
 *
 * Every replica sums the same slots in the same rank order, so all of them
 * get bit-identical results and stay in step without exchanging weights.
 * Waiting uses `Atomics.wait`, so replicas must run in worker threads or in
 * Node's main thread (not a browser's main thread).
 */
export class ReplicaGroup {
  readonly rank: number;
  readonly size: number;
  private readonly init: ReplicaGroupInit;
  private readonly control: Int32Array;
  private readonly slots: Float32Array;
  private readonly message: Uint8Array;
  private reduces = 0;
  private broadcasts = 0;

  constructor(init: ReplicaGroupInit) {
    this.init = init;
    this.rank = init.rank;
    this.size = init.size;
    this.control = new Int32Array(init.control);
    this.slots = new Float32Array(init.values);
    this.message = new Uint8Array(init.message);
  }

  /** Rows `[start, end)` of a batch of `rows` that this replica trains on: contiguous, sizes differing by at most one. */
  shard(rows: number): { start: number; end: number } {
    const base = Math.floor(rows / this.size);
    const extra = rows % this.size;
    const start = this.rank * base + Math.min(this.rank, extra);
    return { start, end: start + base + (this.rank < extra ? 1 : 0) };
  }

  /** Waits until every replica has called `barrier` (the n-th call of each matches the n-th of the others). */
  barrier(): void {
    const generation = Atomics.load(this.control, GENERATION);
    if (Atomics.add(this.control, ARRIVED, 1) === this.size - 1) {
      Atomics.store(this.control, ARRIVED, 0);
      Atomics.add(this.control, GENERATION, 1);
      Atomics.notify(this.control, GENERATION);
      return;
    }
    const deadline = Date.now() + this.init.timeoutMs;
    while (Atomics.load(this.control, GENERATION) === generation) {
      this.throwIfAborted();
      if (Date.now() > deadline) {
        this.abort();
        throw new ReplicaGroupError(`Replica ${this.rank}: the other replicas did not reach the barrier within ${this.init.timeoutMs} ms (did one crash?).`);
      }
      Atomics.wait(this.control, GENERATION, generation, 200);
    }
    this.throwIfAborted();
  }

  /**
   * Σ_r weight_r · values_r / Σ_r weight_r over the replicas, summed in rank
   * order (so every replica gets the same bits), written back into `values`
   * (in place: on this VM a fresh megabyte-sized array costs milliseconds of
   * page faults, so callers reuse their buffer). A replica with nothing to
   * contribute passes weight 0. Every replica must pass the same length.
   */
  allReduce(values: Float32Array, weight: number): Float32Array {
    const { capacity, size } = this.init;
    if (values.length > capacity) {
      throw new ConfigError(`allReduce of ${values.length} values exceeds the replica group's capacity of ${capacity}; create the group with a larger capacity.`);
    }
    const buffer = this.reduces++ % 2;
    const slotOf = (rank: number) => (buffer * size + rank) * (capacity + 1);
    const slots = this.slots;
    slots[slotOf(this.rank)] = weight;
    slots.set(values, slotOf(this.rank) + 1);
    Atomics.store(this.control, LENGTHS + buffer * size + this.rank, values.length);
    this.barrier();
    let total = 0;
    for (let r = 0; r < size; r++) {
      const length = Atomics.load(this.control, LENGTHS + buffer * size + r);
      if (length !== values.length) {
        this.abort();
        throw new ReplicaGroupError(`Replicas disagree on what to reduce: replica ${r} sent ${length} values, replica ${this.rank} ${values.length}. Every replica must build the same model and losses.`);
      }
      total += slots[slotOf(r)]!;
    }
    // One pass per pair of replicas, over subarray views (each a few times faster than indexing the
    // shared buffer at an offset): this sum is a few ms of every data-parallel step. Every replica adds
    // the same terms in the same order, so all of them get the same bits.
    const length = values.length;
    const terms = [...Array(size).keys()]
      .filter((r) => total > 0 && slots[slotOf(r)]! > 0)
      .map((r) => ({ share: slots[slotOf(r)]! / total, view: slots.subarray(slotOf(r) + 1, slotOf(r) + 1 + length) }));
    if (terms.length === 0) values.fill(0);
    for (let k = 0; k < terms.length; k += 2) {
      const { share: shareA, view: a } = terms[k]!;
      const second = terms[k + 1];
      if (second) {
        const { share: shareB, view: b } = second;
        if (k === 0) for (let i = 0; i < length; i++) values[i] = shareA * a[i]! + shareB * b[i]!;
        else for (let i = 0; i < length; i++) values[i] += shareA * a[i]! + shareB * b[i]!;
      } else if (k === 0) {
        for (let i = 0; i < length; i++) values[i] = shareA * a[i]!;
      } else {
        for (let i = 0; i < length; i++) values[i] += shareA * a[i]!;
      }
    }
    return values;
  }

  /** Replica 0's `value` (JSON-serialisable), returned on every replica; the others' arguments are ignored. */
  broadcast<T>(value: T): T {
    const half = this.message.length / 2;
    const buffer = this.broadcasts++ % 2;
    const area = this.message.subarray(buffer * half, (buffer + 1) * half);
    if (this.rank === 0) {
      const bytes = new TextEncoder().encode(JSON.stringify(value ?? null));
      if (bytes.length > half) {
        this.abort();
        throw new ConfigError(`broadcast of ${bytes.length} bytes exceeds the replica group's ${half}-byte message buffer.`);
      }
      area.set(bytes);
      Atomics.store(this.control, MESSAGE_LENGTHS + buffer, bytes.length);
    }
    this.barrier();
    const length = Atomics.load(this.control, MESSAGE_LENGTHS + buffer);
    return JSON.parse(new TextDecoder().decode(area.slice(0, length))) as T;
  }

  /** Marks the group failed, so every replica waiting at a barrier throws instead of waiting. */
  abort(): void {
    Atomics.compareExchange(this.control, ABORTED, 0, this.rank + 1);
    Atomics.notify(this.control, GENERATION);
  }

  /** The rank that aborted the group, if any. */
  get abortedBy(): number | undefined {
    const flag = Atomics.load(this.control, ABORTED);
    return flag === 0 ? undefined : flag - 1;
  }

  private throwIfAborted(): void {
    const by = this.abortedBy;
    if (by !== undefined) throw new ReplicaGroupError(`Replica ${by} failed, so replica ${this.rank} stopped.`);
  }
}
