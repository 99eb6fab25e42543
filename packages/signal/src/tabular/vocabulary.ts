/**
 * The categories kept for one column: the `maxCategories` most frequent
 * training values seen at least `minFrequency` times, most frequent first,
 * ties broken by string order, so the same data always gives the same ids.
 * Index 0 is reserved for unknown or missing values; category i is id i + 1.
 */
export function buildVocabulary(values: string[], maxCategories: number, minFrequency: number): string[] {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts.entries()]
    .filter(([, count]) => count >= minFrequency)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .slice(0, maxCategories)
    .map(([value]) => value);
}
