/**
 * Near-duplicate groups of texts by MinHash with banded LSH, confirmed by the
 * exact Jaccard similarity of word shingles.
 *
 * Why this and not a hash of the normalised body: spam campaigns send the same
 * text with a different name, price, tracking number or footer, and mailing
 * list posts are quoted into replies; an exact hash misses all of those. Word
 * 5-shingles of the lower-cased text, with every digit run replaced by `0`,
 * catch them, and the exact Jaccard check on each LSH candidate pair keeps
 * MinHash's randomness out of the result: the groups are the connected
 * components of "Jaccard ≥ threshold" among candidate pairs.
 */

const SHINGLE_WORDS = 5;
/** 20 bands of 5 rows: pairs with Jaccard 0.5 become candidates with probability ≈ 0.47, at 0.7 ≈ 0.97, at 0.8 ≈ 0.9996. */
const BANDS = 20;
const ROWS = 5;

/** FNV-1a over a string, 32 bits. */
function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A 32-bit mix (murmur3's finaliser) of `x` with a seed: one MinHash permutation per seed. */
function mix(x, seed) {
  let h = (x ^ seed) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** The set of hashed word shingles of a text (a text shorter than one shingle is one shingle). */
export function shingles(text) {
  const words = text.toLowerCase().replace(/\d+/g, '0').match(/[\p{L}\p{N}$!%@]+/gu) ?? [];
  const out = new Set();
  if (words.length < SHINGLE_WORDS) {
    if (words.length > 0) out.add(fnv1a(words.join(' ')));
    return out;
  }
  for (let i = 0; i + SHINGLE_WORDS <= words.length; i++) out.add(fnv1a(words.slice(i, i + SHINGLE_WORDS).join(' ')));
  return out;
}

/** Exact Jaccard similarity of two sets. */
export function jaccard(a, b) {
  if (a.size === 0 && b.size === 0) return 1;
  const [small, large] = a.size <= b.size ? [a, b] : [b, a];
  let shared = 0;
  for (const x of small) if (large.has(x)) shared++;
  return shared / (a.size + b.size - shared);
}

/**
 * Groups `texts` into near-duplicate groups: returns `group[i]`, the index of
 * the first text of text i's group. Texts without any word are their own group.
 * Also returns the number of confirmed pairs.
 */
export function nearDuplicateGroups(texts, threshold = 0.7) {
  const sets = texts.map(shingles);
  const parent = texts.map((_, i) => i);
  const find = (i) => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]];
    return i;
  };
  const seeds = Array.from({ length: BANDS * ROWS }, (_, k) => mix(k + 1, 0x9e3779b9));
  const buckets = new Map();
  sets.forEach((set, i) => {
    if (set.size === 0) return;
    const signature = seeds.map((seed) => {
      let min = 0xffffffff;
      for (const x of set) {
        const h = mix(x, seed);
        if (h < min) min = h;
      }
      return min;
    });
    for (let b = 0; b < BANDS; b++) {
      const key = `${b}:${signature.slice(b * ROWS, (b + 1) * ROWS).join(',')}`;
      const bucket = buckets.get(key);
      if (bucket) bucket.push(i);
      else buckets.set(key, [i]);
    }
  });
  const checked = new Set();
  let pairs = 0;
  for (const bucket of buckets.values()) {
    for (let x = 1; x < bucket.length; x++) {
      for (let y = 0; y < x; y++) {
        const [i, j] = [bucket[y], bucket[x]];
        const key = i * texts.length + j;
        if (checked.has(key)) continue;
        checked.add(key);
        if (find(i) === find(j)) continue;
        if (jaccard(sets[i], sets[j]) >= threshold) {
          pairs++;
          parent[Math.max(find(i), find(j))] = Math.min(find(i), find(j));
        }
      }
    }
  }
  return { group: texts.map((_, i) => find(i)), pairs };
}
