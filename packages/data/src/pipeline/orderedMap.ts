/**
 * Maps `fn` over `items` with at most `concurrency` calls in flight and yields
 * the results in input order. Only the in-flight window is held in memory, so
 * a dataset larger than memory streams through it. Closing the generator
 * early waits for the calls in flight to settle.
 */
export async function* orderedMap<T, R>(
  items: Iterable<T>,
  fn: (item: T, index: number) => Promise<R>,
  concurrency: number,
): AsyncGenerator<R> {
  const window: Promise<R>[] = [];
  const iterator = items[Symbol.iterator]();
  let index = 0;
  let done = false;
  const fill = (): void => {
    while (!done && window.length < concurrency) {
      const next = iterator.next();
      if (next.done) {
        done = true;
        return;
      }
      const promise = fn(next.value, index++);
      promise.catch(() => undefined); // rejections surface when awaited below, in order
      window.push(promise);
    }
  };
  fill();
  try {
    while (window.length > 0) {
      const result = await window.shift()!;
      fill();
      yield result;
    }
  } finally {
    // When the consumer stops early, let the calls already started finish (their results are dropped),
    // so no work (file writes, cache entries) outlives the loop that asked for it.
    await Promise.allSettled(window);
  }
}
