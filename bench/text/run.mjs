// Tokenizer throughput: word and char (fitted vocabularies), WordPiece and byte-level BPE (tokenizer.json fixtures).
// Run: npx tsc -b packages/text && node bench/text/run.mjs [sentences]
import os from 'node:os';
import { readFileSync } from 'node:fs';
import { SeededRandom } from '../../packages/core/dist/index.js';
import { WordTokenizer, CharTokenizer, HuggingFaceTokenizer } from '../../packages/text/dist/index.js';

const sentences = Number(process.argv[2] ?? 20000);
const words = ['the', 'cat', 'sat', 'on', 'mat', 'unaffable', 'playing', 'lower', 'lowest', 'café', 'dog', 'runs', 'fast', 'sky', 'is', 'blue', 'a', 'ab'];
const rng = new SeededRandom(1);
const corpus = Array.from({ length: sentences }, () => {
  const length = 8 + rng.int(16);
  return Array.from({ length }, () => words[rng.int(words.length)]).join(' ') + (rng.next() < 0.5 ? '.' : '!');
});
const characters = corpus.reduce((n, s) => n + s.length, 0);
const fixture = (name) => JSON.parse(readFileSync(new URL(`../../packages/text/fixtures/${name}`, import.meta.url), 'utf8'));

/** A GPT-2-style tokenizer.json: all 256 byte symbols, plus left-to-right merges spelling each word (with and without the Ġ space marker). */
function byteLevelBpe(vocabularyWords) {
  const printable = [...range(33, 126), ...range(161, 172), ...range(174, 255)];
  let next = 0;
  const byteChars = range(0, 255).map((b) => String.fromCodePoint(printable.includes(b) ? b : 256 + next++));
  const vocab = Object.fromEntries(byteChars.map((ch, i) => [ch, i]));
  const merges = [];
  const encoder = new TextEncoder();
  for (const word of vocabularyWords) {
    for (const spelled of [word, ` ${word}`]) {
      const symbols = Array.from(encoder.encode(spelled), (b) => byteChars[b]);
      let left = symbols[0];
      for (const right of symbols.slice(1)) {
        if (!(left + right in vocab)) {
          merges.push(`${left} ${right}`);
          vocab[left + right] = Object.keys(vocab).length;
        }
        left += right;
      }
    }
  }
  return { model: { type: 'BPE', vocab, merges }, pre_tokenizer: { type: 'ByteLevel', add_prefix_space: false }, decoder: { type: 'ByteLevel' } };
}
function range(from, to) {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

const tokenizers = {
  word: new WordTokenizer().fit(corpus),
  char: new CharTokenizer().fit(corpus),
  wordpiece: new HuggingFaceTokenizer(fixture('wordpiece-tokenizer.json')),
  'byte-level BPE': new HuggingFaceTokenizer(byteLevelBpe(words)),
};

console.log(`${sentences} sentences, ${(characters / 1e6).toFixed(2)} M characters (node ${process.version}, ${os.cpus()[0].model})`);
for (const [name, tokenizer] of Object.entries(tokenizers)) {
  for (const s of corpus.slice(0, 200)) tokenizer.encode(s); // warm-up
  const start = performance.now();
  let tokens = 0;
  for (const s of corpus) tokens += tokenizer.encode(s).length;
  const seconds = (performance.now() - start) / 1000;
  console.log(`${name.padEnd(15)} ${(sentences / seconds).toFixed(0).padStart(8)} sentences/s ${(tokens / seconds / 1e6).toFixed(2).padStart(6)} M tokens/s ${(characters / seconds / 1e6).toFixed(2).padStart(6)} M chars/s`);
}
