#!/usr/bin/env node
// Fails when a relative link in a committed Markdown file (READMEs, docs/, changesets)
// points at a file that does not exist, or at a heading that a Markdown file does not have.
// Links to the generated API reference (docs/api/) are checked only when it has been built.
// Usage: node scripts/docs/check-links.mjs
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const markdownFiles = execFileSync('git', ['ls-files', '*.md', '**/*.md'], { cwd: root, encoding: 'utf8' })
  .split('\n')
  .filter(Boolean)
  .filter((file) => !file.includes('node_modules/'));

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
function headingAnchors(markdown) {
  const anchors = new Set();
  const seen = new Map();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    const heading = !inFence && /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!heading) continue;
    const base = heading[1].replace(/<[^>]+>/g, '').replace(/`/g, '').toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    anchors.add(count === 0 ? base : `${base}-${count}`);
  }
  for (const match of markdown.matchAll(/<a\s+(?:name|id)="([^"]+)"/g)) anchors.add(match[1]);
  return anchors;
}

function links(markdown) {
  const found = [];
  let inFence = false;
  markdown.split('\n').forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) inFence = !inFence;
    if (inFence) return;
    const withoutCode = line.replace(/`[^`]*`/g, '');
    for (const match of withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) found.push({ target: match[1], line: index + 1 });
    for (const match of withoutCode.matchAll(/^\s*\[[^\]]+\]:\s*(\S+)/g)) found.push({ target: match[1], line: index + 1 });
  });
  return found;
}

const problems = [];
const apiBuilt = existsSync(join(root, 'docs', 'api', 'index.html'));
for (const file of markdownFiles) {
  const source = readFileSync(join(root, file), 'utf8');
  for (const { target, line } of links(source)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
    const [path, anchor] = target.split('#');
    const resolved = path === '' ? join(root, file) : join(root, dirname(file), decodeURIComponent(path));
    const shown = `${file}:${line}: ${target}`;
    if (relative(join(root, 'docs', 'api'), resolved).split('/')[0] !== '..' && !apiBuilt) continue;
    if (!existsSync(resolved)) {
      problems.push(`${shown} (no such file: ${relative(root, resolved)})`);
      continue;
    }
    if (anchor && resolved.endsWith('.md') && statSync(resolved).isFile()) {
      if (!headingAnchors(readFileSync(resolved, 'utf8')).has(anchor)) problems.push(`${shown} (${relative(root, resolved)} has no heading #${anchor})`);
    }
  }
}
if (problems.length > 0) {
  console.error(`check-links: ${problems.length} broken link(s) in the Markdown files:`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(`check-links: every relative link in ${markdownFiles.length} Markdown files resolves`);
