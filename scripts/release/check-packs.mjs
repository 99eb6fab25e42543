#!/usr/bin/env node
// Packs every publishable package the way `changeset publish` would and checks what a user
// would download: entry points and types present, no tests, source maps that resolve, every
// import declared as a dependency, the license shipped, and a first release at 0.1.0.
// Usage: node scripts/release/check-packs.mjs [--keep DIR]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, posix, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const keepAt = process.argv.indexOf('--keep');
const work = keepAt > 0 ? process.argv[keepAt + 1] : mkdtempSync(join(tmpdir(), 'polyfuse-packs-'));
mkdirSync(work, { recursive: true });
const FIRST_RELEASE = '0.1.0';
const REQUIRED_FIELDS = ['name', 'version', 'description', 'license', 'keywords', 'engines', 'exports', 'files'];
const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

const problems = [];
const packageDirs = readdirSync(join(root, 'packages'))
  .map((name) => join(root, 'packages', name))
  .filter((dir) => existsSync(join(dir, 'package.json')));

for (const dir of packageDirs) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (manifest.private) continue;
  const report = (message) => problems.push(`${manifest.name}: ${message}`);
  for (const field of REQUIRED_FIELDS) if (manifest[field] === undefined) report(`package.json has no "${field}"`);
  if (!manifest.scripts?.prepack) report('no "prepack" script: a clean clone would publish it without dist/');

  const unpacked = unpack(dir, manifest, work);
  const shipped = listFiles(unpacked);
  const has = (path) => shipped.has(posix.normalize(path.replace(/^\.\//, '')));

  for (const required of ['package.json', 'README.md', 'LICENSE']) if (!has(required)) report(`the tarball has no ${required}`);
  for (const target of entryPoints(manifest)) if (!has(target)) report(`entry point ${target} is not in the tarball`);
  for (const file of shipped) {
    if (/\.test\.[cm]?[jt]s$/.test(file) || /(^|\/)__tests__\//.test(file)) report(`ships a test file: ${file}`);
  }
  checkSourceMaps(unpacked, shipped, report);
  checkTypeImports(unpacked, shipped, report);
  checkDeclaredImports(unpacked, shipped, manifest, report);
}

checkPlannedVersions();

if (problems.length > 0) {
  console.error(`check-packs: ${problems.length} problem(s) in the packages as they would be published:`);
  for (const problem of problems) console.error(`  - ${problem}`);
  process.exit(1);
}
console.log(`check-packs: ${packageDirs.length} packages packed and checked (tarballs in ${work}); first release ${FIRST_RELEASE}`);
if (keepAt < 0) rmSync(work, { recursive: true, force: true });

/** Packs with pnpm (which runs prepack and rewrites workspace: ranges) and extracts the tarball. */
function unpack(dir, manifest, into) {
  const destination = join(into, manifest.name.replace('@', '').replace('/', '-'));
  rmSync(destination, { recursive: true, force: true });
  mkdirSync(destination, { recursive: true });
  const output = execFileSync('pnpm', ['pack', '--pack-destination', destination], { cwd: dir, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const tarball = output.trim().split('\n').pop().trim();
  execFileSync('tar', ['-xzf', tarball, '-C', destination]);
  return join(destination, 'package');
}

function listFiles(dir) {
  const files = new Set();
  const walk = (at) => {
    for (const entry of readdirSync(at)) {
      const path = join(at, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.add(relative(dir, path).split('\\').join('/'));
    }
  };
  walk(dir);
  return files;
}

function entryPoints(manifest) {
  const targets = [manifest.main, manifest.types];
  const collect = (value) => {
    if (typeof value === 'string') targets.push(value);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
  };
  collect(manifest.exports);
  collect(manifest.bin);
  return targets.filter(Boolean).map((target) => posix.normalize(target.replace(/^\.\//, '')));
}

/** Every `sources` entry of every shipped map must be shipped too, or debuggers show nothing. */
function checkSourceMaps(unpacked, shipped, report) {
  for (const file of shipped) {
    if (!file.endsWith('.map')) continue;
    const map = JSON.parse(readFileSync(join(unpacked, file), 'utf8'));
    for (const source of map.sources ?? []) {
      const resolved = posix.normalize(posix.join(posix.dirname(file), map.sourceRoot ?? '', source));
      if (!shipped.has(resolved)) {
        report(`${file} points at ${resolved}, which is not shipped`);
        return;
      }
    }
  }
}

/** Relative imports in shipped .d.ts files must resolve to shipped .d.ts files. */
function checkTypeImports(unpacked, shipped, report) {
  for (const file of shipped) {
    if (!file.endsWith('.d.ts')) continue;
    for (const specifier of importSpecifiers(readFileSync(join(unpacked, file), 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const base = posix.normalize(posix.join(posix.dirname(file), specifier));
      const candidates = [base.replace(/\.js$/, '.d.ts'), `${base}.d.ts`, `${base}/index.d.ts`];
      if (!candidates.some((candidate) => shipped.has(candidate))) report(`${file} imports ${specifier}, whose types are not shipped`);
    }
  }
}

/** A bare import in the shipped JavaScript must be a dependency, a peer or a Node built-in. */
function checkDeclaredImports(unpacked, shipped, manifest, report) {
  const declared = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
  ]);
  const undeclared = new Map();
  for (const file of shipped) {
    if (!file.startsWith('dist/') || !file.endsWith('.js')) continue;
    for (const specifier of importSpecifiers(readFileSync(join(unpacked, file), 'utf8'))) {
      if (specifier.startsWith('.') || builtins.has(specifier)) continue;
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
      if (name !== manifest.name && !declared.has(name) && !undeclared.has(name)) undeclared.set(name, file);
    }
  }
  for (const [name, file] of undeclared) report(`${file} imports "${name}", which package.json does not declare`);
}

function importSpecifiers(source) {
  const specifiers = [];
  const pattern = /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^import\s*['"]([^'"]+)['"]/gm;
  for (const match of source.matchAll(pattern)) specifiers.push(match[1] ?? match[2] ?? match[3]);
  return specifiers;
}

/** With the pending changesets applied, every package's first published version is 0.1.0. */
function checkPlannedVersions() {
  const statusFile = join(work, 'changeset-status.json');
  execFileSync('pnpm', ['exec', 'changeset', 'status', '--output', relative(root, statusFile)], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  const { releases } = JSON.parse(readFileSync(statusFile, 'utf8'));
  const planned = new Map(releases.map((release) => [release.name, release.newVersion]));
  for (const dir of packageDirs) {
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    if (manifest.private) continue;
    const next = planned.get(manifest.name) ?? manifest.version;
    if (next !== FIRST_RELEASE) {
      problems.push(`${manifest.name}: would be published as ${next}, not ${FIRST_RELEASE} (version ${manifest.version}; pending changesets decide the bump)`);
    }
  }
}
