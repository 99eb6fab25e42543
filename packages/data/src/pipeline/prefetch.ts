/**
 * Pulls up to `depth` items ahead of the consumer from `source`, so producing
 * the next batch (file reads, decoding) overlaps with training on this one.
 * When the consumer stops early, `release` is called on items fetched but
 * never handed out (e.g. to dispose their tensors).
 */
export async function* prefetch<T>(source: AsyncIterable<T>, depth: number, release: (item: T) => void = () => undefined): AsyncGenerator<T> {
  if (depth <= 0) {
    yield* source;
    return;
  }
  const iterator = source[Symbol.asyncIterator]();
  const queue: Promise<IteratorResult<T>>[] = [];
  const pull = (): void => {
    const p = iterator.next();
    p.catch(() => undefined);
    queue.push(p);
  };
  for (let i = 0; i < depth; i++) pull();
  let finished = false;
  try {
    while (true) {
      const result = await queue.shift()!;
      if (result.done) {
        finished = true;
        return;
      }
      pull();
      yield result.value;
    }
  } finally {
    if (!finished) {
      for (const pending of queue) {
        try {
          const r = await pending;
          if (!r.done) release(r.value);
        } catch {
          // the consumer already stopped; an error from a batch it never asked for does not matter
        }
      }
      await iterator.return?.(undefined);
    }
  }
}
