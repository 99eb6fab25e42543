#!/usr/bin/env node
/**
 * Generates the emoji-match dataset into ./data (or --out): real emoji art
 * drawn by different artists, paired with English descriptions, for
 * contrastive image–text matching.
 *
 * Art (all from npm packages, nothing downloaded at run time):
 *   twemoji   `@twemoji/svg`     Twitter's Twemoji, one SVG per emoji (CC-BY 4.0 art)
 *   noto      `@svgmoji/noto`    Google's Noto Color Emoji, one SVG sprite (Apache-2.0 art)
 *   openmoji  `openmoji`         OpenMoji, color/svg/*.svg (CC-BY-SA 4.0 art)
 * Names: `emojibase-data` (en/data.json: label, tags, group, subgroup, hexcode).
 *
 * The SVGs are rendered with `@resvg/resvg-js` at 4× the target size, cropped
 * to the drawing's bounding box (so every style fills the frame alike), and
 * area-averaged over white to `--size`×`--size` RGB PNGs.
 *
 * Splits (see README.md): the `--test-style` (openmoji) is never trained on:
 * all its rows are `test`. Of the emoji, a seeded `--test-fraction` is held
 * out entirely (their training-style rows are `test` as well) and a further
 * `--val-fraction` is held out for validation (their training-style rows are
 * `val`). Each row says whether its emoji (`emojiSeen`) and its style
 * (`styleSeen`) occur in training.
 *
 * Deterministic: the same options and package versions give byte-identical
 * files. Writes data/pairs.jsonl, data/groups.json, data/dataset.json and
 * data/images/<style>/<hexcode>.png; the whole folder is replaced atomically.
 */
import { parseArgs } from 'node:util';
import { promises as fs, existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';
import { Resvg } from '@resvg/resvg-js';
import { SeededRandom } from './seeded-random.mjs';

const require = createRequire(import.meta.url);
const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));

/** Rendering oversampling factor: the SVG is drawn at OVERSAMPLE × size, then cropped and area-averaged. */
const OVERSAMPLE = 4;
/** Alpha above which a pixel counts as part of the drawing when cropping. */
const ALPHA_THRESHOLD = 16;
/** Margin kept around the drawing's bounding box, as a share of its longer side. */
const MARGIN = 0.04;
const ALL_STYLES = ['twemoji', 'noto', 'openmoji'];
/**
 * Fixes for drawings that crash resvg 2.6.2 (a Rust panic aborts the whole
 * process, it cannot be caught). Every SVG of the pinned package versions was
 * rendered once to find them: only Noto's rainbow flag, whose invisible
 * off-canvas shading path under `opacity` makes resvg unwrap an empty box.
 */
const SVG_FIXES = {
  'noto/1F3F3-200D-1F308': (svg) => svg.replace(/<path[^>]*d="M-153-651\.76[^"]*"[^>]*\/>/, ''),
};

const { values: options } = parseArgs({
  options: {
    out: { type: 'string', default: path.join(appDir, 'data') },
    size: { type: 'string', default: '32' },
    'max-emoji': { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    'test-style': { type: 'string', default: 'openmoji' },
    'test-fraction': { type: 'string', default: '0.15' },
    'val-fraction': { type: 'string', default: '0.1' },
    'max-tags': { type: 'string', default: '3' },
    'skip-groups': { type: 'string', default: 'component' },
    force: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (options.help) {
  console.log(`Usage: node scripts/generate-data.mjs [options]
Renders real emoji art (Twemoji, Noto, OpenMoji) paired with English descriptions.
  --out DIR              where to write (default apps/emoji-match/data)
  --size N               image side in pixels, RGB (default 32)
  --max-emoji N          use at most N emoji (a seeded sample), for a quick run (default 0: all)
  --seed N               seed of the emoji sample and the splits (default 1)
  --test-style NAME      style held out for testing: ${ALL_STYLES.join(' | ')} (default openmoji)
  --test-fraction F      share of emoji held out entirely, in every style (default 0.15)
  --val-fraction F       share of emoji held out for validation (default 0.1)
  --max-tags N           tags appended to the label in the text (default 3)
  --skip-groups LIST     emojibase groups left out, comma separated (default component)
  --force                regenerate even when the folder matches these options
  --quiet                print nothing but errors`);
  process.exit(0);
}

function fail(message) {
  console.error(`emoji-match: ${message}`);
  process.exit(2);
}
const log = (line) => {
  if (!options.quiet) console.error(`emoji-match: ${line}`);
};
const number = (name) => {
  const value = Number(options[name]);
  if (!Number.isFinite(value)) fail(`--${name} must be a number, got '${options[name]}'.`);
  return value;
};

const settings = {
  version: 1,
  size: number('size'),
  maxEmoji: number('max-emoji'),
  seed: number('seed'),
  testStyle: options['test-style'],
  testFraction: number('test-fraction'),
  valFraction: number('val-fraction'),
  maxTags: number('max-tags'),
  skipGroups: options['skip-groups'].split(',').map((g) => g.trim()).filter(Boolean),
};
if (!Number.isInteger(settings.size) || settings.size < 8 || settings.size > 256) fail('--size must be an integer from 8 to 256.');
if (!Number.isInteger(settings.maxEmoji) || settings.maxEmoji < 0) fail('--max-emoji must be a whole number (0: all).');
if (!ALL_STYLES.includes(settings.testStyle)) fail(`--test-style must be one of ${ALL_STYLES.join(', ')}, got '${settings.testStyle}'.`);
if (!(settings.testFraction > 0 && settings.testFraction < 1)) fail('--test-fraction must be between 0 and 1.');
if (!(settings.valFraction > 0 && settings.valFraction < 1)) fail('--val-fraction must be between 0 and 1.');
if (settings.testFraction + settings.valFraction >= 0.9) fail('--test-fraction and --val-fraction must leave emoji for training.');
if (!Number.isInteger(settings.maxTags) || settings.maxTags < 0) fail('--max-tags must be a whole number.');

/** The folder of an installed package (pnpm links direct dependencies into the app's node_modules). */
function packageDir(name) {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    for (let dir = appDir; ; dir = path.dirname(dir)) {
      const candidate = path.join(dir, 'node_modules', name);
      if (existsSync(path.join(candidate, 'package.json'))) return candidate;
      if (path.dirname(dir) === dir) fail(`the package '${name}' is not installed; run 'pnpm install' in the repository root.`);
    }
  }
}
const packageVersion = (name) => JSON.parse(readFileSync(path.join(packageDir(name), 'package.json'), 'utf8')).version;

/** Hexcode as a join key: upper case, without variation selector 16 (the styles disagree on FE0F). */
const joinKey = (hexcode) =>
  hexcode
    .toUpperCase()
    .split('-')
    .filter((part) => part !== 'FE0F')
    .join('-');

/** A folder of `<hexcode>.svg` files: join key → loader of the SVG text. */
function svgFolder(dir) {
  const files = new Map();
  for (const file of readdirSync(dir).sort()) {
    if (!file.toLowerCase().endsWith('.svg')) continue;
    const key = joinKey(file.slice(0, -4));
    // Prefer the fully qualified file name when two spellings map to one key.
    if (!files.has(key) || file.toUpperCase().includes('FE0F')) files.set(key, () => readFileSync(path.join(dir, file)));
  }
  return files;
}

/**
 * The Noto sprite: one root <svg> holding one <svg id="HEXCODE" viewBox=…> per
 * emoji (nested <svg> inside some). Returns join key → loader of a standalone SVG.
 */
function notoSprite(file) {
  const text = readFileSync(file, 'utf8');
  const sprites = new Map();
  const tags = /<\/?svg\b[^>]*>/g;
  let depth = 0;
  let start = 0;
  let id = null;
  for (let match; (match = tags.exec(text)); ) {
    const tag = match[0];
    if (tag.startsWith('</')) {
      depth--;
      if (depth === 1 && id) {
        const end = match.index + tag.length;
        const [from, to] = [start, end];
        const key = joinKey(id);
        if (!sprites.has(key) || id.toUpperCase().includes('FE0F')) {
          sprites.set(key, () => {
            const body = text.slice(from, to);
            // A standalone document needs the namespaces the sprite's root declared.
            return body.includes('xmlns:xlink') ? body : body.replace('<svg', '<svg xmlns:xlink="http://www.w3.org/1999/xlink"');
          });
        }
        id = null;
      }
    } else if (!tag.endsWith('/>')) {
      depth++;
      if (depth === 2) {
        start = match.index;
        id = /\sid="([^"]+)"/.exec(tag)?.[1] ?? null;
      }
    }
  }
  return sprites;
}

function loadStyles() {
  return {
    twemoji: svgFolder(packageDir('@twemoji/svg')),
    noto: notoSprite(path.join(packageDir('@svgmoji/noto'), 'sprites', 'all.svg')),
    openmoji: svgFolder(path.join(packageDir('openmoji'), 'color', 'svg')),
  };
}

/** The text of an emoji: its label, then up to `maxTags` of its tags (in emojibase's order) that are not words of the label. */
function describe(label, tags, maxTags) {
  const labelWords = new Set(label.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean));
  const extra = [];
  for (const tag of tags ?? []) {
    if (extra.length >= maxTags) break;
    const words = tag.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter(Boolean);
    if (words.length > 0 && words.every((w) => labelWords.has(w))) continue;
    if (extra.includes(tag)) continue;
    extra.push(tag);
  }
  // "grinning face: cheerful, cheery"; a label with its own colon ("flag: Iceland") takes a semicolon.
  if (extra.length === 0) return label;
  return `${label}${label.includes(':') ? ';' : ':'} ${extra.join(', ')}`;
}

/** Renders an SVG to `size`×`size` RGB (over white), cropped to the drawing. Returns null when blank. */
function renderSvg(svg, size) {
  const big = size * OVERSAMPLE;
  const rendered = new Resvg(svg, { fitTo: { mode: 'width', value: big }, background: 'rgba(0,0,0,0)', font: { loadSystemFonts: false } }).render();
  const { width, height } = rendered;
  const rgba = rendered.pixels;
  let [x0, y0, x1, y1] = [width, height, -1, -1];
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      if (rgba[(y * width + x) * 4 + 3] > ALPHA_THRESHOLD) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
  if (x1 < 0) return null;
  // A square box around the drawing, with a small margin; pixels outside the canvas are white.
  const side = Math.max(x1 - x0 + 1, y1 - y0 + 1) * (1 + 2 * MARGIN);
  const left = (x0 + x1 + 1) / 2 - side / 2;
  const top = (y0 + y1 + 1) / 2 - side / 2;
  const cell = side / size;
  const out = Buffer.alloc(size * size * 3);
  // Area-average each output pixel from its cell, sampled on a fixed 4×4 grid per source pixel.
  const steps = Math.max(1, Math.ceil(cell)) * 2;
  for (let oy = 0; oy < size; oy++)
    for (let ox = 0; ox < size; ox++) {
      let [r, g, b] = [0, 0, 0];
      for (let sy = 0; sy < steps; sy++)
        for (let sx = 0; sx < steps; sx++) {
          const px = Math.floor(left + (ox + (sx + 0.5) / steps) * cell);
          const py = Math.floor(top + (oy + (sy + 0.5) / steps) * cell);
          if (px < 0 || py < 0 || px >= width || py >= height) {
            r += 255;
            g += 255;
            b += 255;
            continue;
          }
          const i = (py * width + px) * 4;
          const a = rgba[i + 3] / 255;
          // resvg's pixels are straight (not premultiplied) RGBA.
          r += rgba[i] * a + 255 * (1 - a);
          g += rgba[i + 1] * a + 255 * (1 - a);
          b += rgba[i + 2] * a + 255 * (1 - a);
        }
      const n = steps * steps;
      const o = (oy * size + ox) * 3;
      out[o] = Math.round(r / n);
      out[o + 1] = Math.round(g / n);
      out[o + 2] = Math.round(b / n);
    }
  return out;
}

function encodeRgbPng(rgb, size) {
  const png = new PNG({ width: size, height: size, colorType: 2, inputColorType: 2, bitDepth: 8, inputHasAlpha: false });
  png.data = rgb;
  return PNG.sync.write(png, { colorType: 2, inputColorType: 2, inputHasAlpha: false });
}

/** Group key → short zero-shot prompt: "smileys & emotion" → "smileys and emotion". */
const groupPrompt = (message) => message.replace(/\s*&\s*/g, ' and ').trim();

async function main() {
  const out = path.resolve(options.out);
  const manifestFile = path.join(out, 'pairs.jsonl');
  const settingsFile = path.join(out, 'dataset.json');
  const versions = Object.fromEntries(
    ['@twemoji/svg', '@svgmoji/noto', 'openmoji', 'emojibase-data', '@resvg/resvg-js'].map((name) => [name, packageVersion(name)]),
  );
  if (!options.force && existsSync(manifestFile) && existsSync(settingsFile)) {
    const previous = JSON.parse(await fs.readFile(settingsFile, 'utf8'));
    if (JSON.stringify(previous.settings) === JSON.stringify(settings) && JSON.stringify(previous.packages) === JSON.stringify(versions)) {
      log(`${manifestFile} is up to date (use --force to regenerate)`);
      return;
    }
  }
  const started = Date.now();
  const emojibaseDir = packageDir('emojibase-data');
  const data = JSON.parse(readFileSync(path.join(emojibaseDir, 'en', 'data.json'), 'utf8'));
  const messages = JSON.parse(readFileSync(path.join(emojibaseDir, 'en', 'messages.json'), 'utf8'));
  const groupByOrder = new Map(messages.groups.map((g) => [g.order, g]));
  const subgroupByOrder = new Map(messages.subgroups.map((g) => [g.order, g]));
  const unknownGroups = settings.skipGroups.filter((key) => !messages.groups.some((g) => g.key === key));
  if (unknownGroups.length > 0) fail(`--skip-groups: unknown group '${unknownGroups[0]}' (groups: ${messages.groups.map((g) => g.key).join(', ')}).`);
  const styles = loadStyles();
  const trainStyles = ALL_STYLES.filter((s) => s !== settings.testStyle);

  // Emoji with an English label and a group (regional indicators have none), drawn in at least 2 styles.
  // The base entries of data.json carry no skin tone: the toned variants are nested under `skins`.
  const candidates = [];
  const seenKeys = new Set();
  for (const entry of data) {
    if (entry.group === undefined || !entry.label) continue;
    const group = groupByOrder.get(entry.group);
    if (!group || settings.skipGroups.includes(group.key)) continue;
    const key = joinKey(entry.hexcode);
    if (seenKeys.has(key)) continue;
    const drawnIn = ALL_STYLES.filter((s) => styles[s].has(key));
    // Require a training style, so that every emoji can be learned.
    if (drawnIn.length < 2 || !drawnIn.some((s) => trainStyles.includes(s))) continue;
    seenKeys.add(key);
    candidates.push({ entry, key, group, subgroup: subgroupByOrder.get(entry.subgroup), drawnIn });
  }
  const rng = new SeededRandom(settings.seed);
  const shuffled = rng.shuffle(candidates.slice());
  const chosen = settings.maxEmoji > 0 ? shuffled.slice(0, settings.maxEmoji) : shuffled;
  if (chosen.length < 5) fail(`only ${chosen.length} emoji selected; use --max-emoji 5 or more.`);
  // Held-out emoji first, then validation emoji, the rest for training (seeded order).
  const testCount = Math.max(1, Math.round(chosen.length * settings.testFraction));
  const valCount = Math.max(1, Math.round(chosen.length * settings.valFraction));
  chosen.forEach((emoji, i) => (emoji.part = i < testCount ? 'test' : i < testCount + valCount ? 'val' : 'train'));
  chosen.sort((a, b) => (a.entry.order ?? 0) - (b.entry.order ?? 0) || a.key.localeCompare(b.key));
  log(`${candidates.length} emoji are drawn in 2+ styles; using ${chosen.length} (${testCount} held out, ${valCount} for validation)`);

  const staging = `${out}.tmp-${process.pid}`;
  await fs.rm(staging, { recursive: true, force: true });
  for (const style of ALL_STYLES) await fs.mkdir(path.join(staging, 'images', style), { recursive: true });
  const rows = [];
  const blank = [];
  let rendered = 0;
  for (const emoji of chosen) {
    const { entry, key, group, subgroup } = emoji;
    const text = describe(entry.label, entry.tags, settings.maxTags);
    for (const style of emoji.drawnIn) {
      const svg = styles[style].get(key)();
      const fix = SVG_FIXES[`${style}/${key}`];
      const rgb = renderSvg(fix ? fix(String(svg)) : svg, settings.size);
      if (++rendered % 500 === 0) log(`rendered ${rendered} images`);
      if (!rgb) {
        blank.push(`${style}/${entry.hexcode}`);
        continue;
      }
      const image = `images/${style}/${entry.hexcode}.png`;
      await fs.writeFile(path.join(staging, image), encodeRgbPng(rgb, settings.size));
      const styleSeen = style !== settings.testStyle;
      const split = !styleSeen ? 'test' : emoji.part;
      rows.push({
        id: `${style}-${entry.hexcode}`,
        image,
        text,
        label: entry.label,
        tags: entry.tags ?? [],
        group: group.key,
        subgroup: subgroup?.key ?? null,
        style,
        emoji: entry.hexcode,
        split,
        emojiSeen: emoji.part === 'train',
        styleSeen,
      });
    }
  }
  // Every training emoji must have a training row (an emoji whose only training-style drawing was blank is not "seen").
  const trained = new Set(rows.filter((r) => r.split === 'train').map((r) => r.emoji));
  for (const row of rows) row.emojiSeen = trained.has(row.emoji);
  // Interleave emoji and styles so a manifest read in order is not sorted.
  new SeededRandom(settings.seed + 1).shuffle(rows);
  await fs.writeFile(path.join(staging, 'pairs.jsonl'), rows.map((r) => JSON.stringify(r)).join('\n') + '\n');

  const count = (predicate) => rows.filter(predicate).length;
  const groups = messages.groups
    .filter((g) => !settings.skipGroups.includes(g.key))
    .map((g) => ({
      key: g.key,
      index: g.order,
      name: g.message,
      prompt: groupPrompt(g.message),
      emoji: chosen.filter((e) => e.group.key === g.key).length,
      rows: Object.fromEntries(['train', 'val', 'test'].map((split) => [split, count((r) => r.group === g.key && r.split === split)])),
    }));
  await fs.writeFile(path.join(staging, 'groups.json'), JSON.stringify(groups, null, 2) + '\n');

  const stats = {
    emoji: chosen.length,
    emojiByPart: Object.fromEntries(['train', 'val', 'test'].map((p) => [p, chosen.filter((e) => e.part === p).length])),
    styles: ALL_STYLES,
    trainStyles,
    testStyle: settings.testStyle,
    rows: rows.length,
    rowsBySplit: Object.fromEntries(['train', 'val', 'test'].map((split) => [split, count((r) => r.split === split)])),
    rowsByStyle: Object.fromEntries(ALL_STYLES.map((style) => [style, count((r) => r.style === style)])),
    testRows: {
      seenEmojiUnseenStyle: count((r) => r.split === 'test' && r.emojiSeen && !r.styleSeen),
      unseenEmojiUnseenStyle: count((r) => r.split === 'test' && !r.emojiSeen && !r.styleSeen),
      unseenEmojiSeenStyle: count((r) => r.split === 'test' && !r.emojiSeen && r.styleSeen),
    },
    blankSkipped: blank,
  };
  await fs.writeFile(path.join(staging, 'dataset.json'), JSON.stringify({ settings, packages: versions, stats }, null, 2) + '\n');
  await fs.rm(out, { recursive: true, force: true });
  await fs.rename(staging, out);
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  log(`wrote ${rows.length} pairs of ${chosen.length} emoji in ${ALL_STYLES.length} styles to ${manifestFile} in ${seconds} s`);
  log(`rows: train ${stats.rowsBySplit.train}, val ${stats.rowsBySplit.val}, test ${stats.rowsBySplit.test} ` +
      `(test: ${stats.testRows.seenEmojiUnseenStyle} seen emoji in ${settings.testStyle}, ${stats.testRows.unseenEmojiUnseenStyle} unseen emoji in ${settings.testStyle}, ` +
      `${stats.testRows.unseenEmojiSeenStyle} unseen emoji in ${trainStyles.join('/')})`);
  if (blank.length > 0) log(`skipped ${blank.length} drawings that rendered blank: ${blank.slice(0, 5).join(', ')}${blank.length > 5 ? ', …' : ''}`);
}

main().catch((error) => {
  console.error(`emoji-match: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
