// Bundles every package that docs/browser.md says runs in a browser, the way a
// web page would (a tiny entry that imports the package's main entry), with
// esbuild (platform 'browser') and with Vite, and fails when a bundle reaches
// a Node built-in, a package that only works in Node, or a package's `./node`
// entry. Each finding names the package and the import chain that pulls it in.
//
// Run: pnpm build && node scripts/browser/check-bundles.mjs [package ...]
// (reads the packages' built dist/, like a user's bundler would). Exit code 1
// when a bundle pulls in something it must not, 2 for a usage error.
import { builtinModules } from 'node:module';
import { mkdtempSync, mkdirSync, rmSync, symlinkSync, writeFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { build as viteBuild } from 'vite';
import { browserPackages, nodeOnlyPackages } from './browserPackages.mjs';

// --root <dir>: check packages/<name> of another workspace (the script's own test uses it).
const args = process.argv.slice(2);
const rootFlag = args.indexOf('--root');
const root = rootFlag >= 0 ? path.resolve(args.splice(rootFlag, 2)[1] ?? '') : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const requested = args.map((name) => name.replace(/^@polyfuse\//, ''));
const unknown = rootFlag >= 0 ? [] : requested.filter((name) => !browserPackages.includes(name));
if (unknown.length > 0) {
  console.error(`check-bundles: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a browser package; expected some of: ${browserPackages.join(', ')}.`);
  process.exit(2);
}
const packages = requested.length > 0 ? requested : browserPackages;
for (const name of packages) {
  if (!existsSync(path.join(root, 'packages', name, 'dist', 'index.js'))) {
    console.error(`check-bundles: ${path.join(root, 'packages', name, 'dist', 'index.js')} is missing; build first (pnpm build).`);
    process.exit(2);
  }
}

const builtins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));

/** The package.json that owns a file (nearest one with a name). */
const owners = new Map();
function owningPackage(file) {
  for (let dir = path.dirname(file); dir !== path.dirname(dir); dir = path.dirname(dir)) {
    if (owners.has(dir)) return owners.get(dir);
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const json = JSON.parse(readFileSync(manifest, 'utf8'));
      if (json.name) {
        owners.set(dir, json);
        return json;
      }
    }
  }
  return undefined;
}

/**
 * A dependency may import a built-in on its Node code path when its package.json
 * `browser` field maps that built-in to false (TensorFlow.js does, for util,
 * crypto, fs, worker_threads, ...): every bundler then leaves it out of a page.
 */
function disabledForBrowsers(specifier, importer) {
  const browser = importer?.startsWith('/') ? owningPackage(importer)?.browser : undefined;
  return typeof browser === 'object' && browser !== null && browser[specifier] === false;
}

/** Why a resolved module must not be in a page bundle, or undefined when it may be. */
function forbidden(specifier, resolvedPath, importer) {
  if (builtins.has(specifier) || specifier.startsWith('node:')) return disabledForBrowsers(specifier, importer) ? undefined : `Node built-in '${specifier}'`;
  const file = resolvedPath?.split(path.sep).join('/') ?? '';
  const nodeEntry = /\/packages\/([^/]+)\/dist\/(node\.js|node\/)/.exec(file);
  if (nodeEntry) return `@polyfuse/${nodeEntry[1]}/node (Node-only entry)`;
  for (const pkg of nodeOnlyPackages) {
    if (specifier === pkg || specifier.startsWith(`${pkg}/`) || file.includes(`/node_modules/${pkg}/`)) return `Node-only package '${pkg}'`;
  }
  return undefined;
}

// A folder whose node_modules/@polyfuse links to the workspace packages, so the
// entries import '@polyfuse/<name>' through each package.json's exports, as a page would.
const work = mkdtempSync(path.join(os.tmpdir(), 'polyfuse-bundles-'));
mkdirSync(path.join(work, 'node_modules', '@polyfuse'), { recursive: true });
for (const name of readdirSync(path.join(root, 'packages'))) symlinkSync(path.join(root, 'packages', name), path.join(work, 'node_modules', '@polyfuse', name), 'dir');
const entries = Object.fromEntries(
  packages.map((name) => {
    const file = path.join(work, `${name}.js`);
    writeFileSync(file, `import * as pkg from '@polyfuse/${name}';\nglobalThis.polyfuse = pkg;\n`);
    return [name, file];
  }),
);

/** The import graph: module -> [{ to, specifier }], plus every forbidden module reached and the reason. */
function newGraph() {
  return { edges: new Map(), bad: new Map() };
}
function addEdge(graph, from, to, specifier, reason) {
  if (!graph.edges.has(from)) graph.edges.set(from, []);
  graph.edges.get(from).push({ to, specifier });
  if (reason && !graph.bad.has(to)) graph.bad.set(to, reason);
}

/** For each entry, the forbidden modules it reaches, each with the shortest chain of imports to it. */
function findings(graph, label) {
  const out = [];
  for (const [name, entry] of Object.entries(entries)) {
    const start = graph.key(entry);
    const previous = new Map([[start, undefined]]);
    const queue = [start];
    while (queue.length > 0) {
      const current = queue.shift();
      if (graph.bad.has(current)) {
        const chain = [];
        for (let step = current; step !== undefined; step = previous.get(step)?.from) chain.unshift(previous.get(step)?.specifier ?? `@polyfuse/${name}`);
        out.push(`${label}: @polyfuse/${name} pulls in ${graph.bad.get(current)}:\n    ${chain.join('\n    -> ')}`);
        continue; // report the forbidden module, not what it imports in turn
      }
      for (const { to, specifier } of graph.edges.get(current) ?? []) {
        if (previous.has(to)) continue;
        previous.set(to, { from: current, specifier: `${specifier}  (${graph.show(to)})` });
        queue.push(to);
      }
    }
  }
  return out;
}

/** Where a module lives, shortened for messages. */
function show(file) {
  if (file.includes(' -> ')) return file.split(' -> ').pop();
  if (!file.startsWith('/')) return file;
  const real = file.split(path.sep).join('/');
  const inPackage = /\/packages\/([^/]+)\/(.*)$/.exec(real);
  if (inPackage && !real.includes('/node_modules/')) return `packages/${inPackage[1]}/${inPackage[2]}`;
  const dep = /.*\/node_modules\/((?:@[^/]+\/)?[^/]+\/.*)$/.exec(real);
  return dep ? dep[1] : path.relative(root, real);
}

async function checkEsbuild() {
  const graph = newGraph();
  graph.key = (file) => path.relative(process.cwd(), file).split(path.sep).join('/');
  graph.show = (key) => show(path.resolve(key));
  const result = await esbuild.build({
    entryPoints: Object.values(entries),
    bundle: true,
    platform: 'browser',
    format: 'esm',
    write: false,
    outdir: path.join(work, 'esbuild-out'),
    metafile: true,
    logLevel: 'silent',
    plugins: [
      {
        // Built-ins would fail to resolve for the browser; keep them as marked leaves of the graph.
        name: 'node-builtins',
        setup(build) {
          build.onResolve({ filter: /.*/ }, (args) => (builtins.has(args.path) || args.path.startsWith('node:') ? { path: args.path, external: true } : undefined));
        },
      },
    ],
  });
  for (const [file, input] of Object.entries(result.metafile.inputs)) {
    for (const imported of input.imports) {
      const specifier = imported.original ?? imported.path;
      // A built-in gets one node per importer: whether it is allowed depends on who imports it.
      const to = imported.external ? `${file} -> ${imported.path}` : imported.path;
      addEdge(graph, file, to, specifier, forbidden(specifier, imported.external ? undefined : path.resolve(imported.path), path.resolve(file)));
    }
  }
  modules.esbuild = graph.edges.size;
  return findings(graph, 'esbuild');
}

async function checkVite() {
  const graph = newGraph();
  graph.key = (file) => file;
  graph.show = show;
  const quiet = { info() {}, warn() {}, warnOnce() {}, error: (message) => console.error(message), clearScreen() {}, hasErrorLogged: () => false, hasWarned: false };
  await viteBuild({
    root: work,
    configFile: false,
    logLevel: 'silent',
    customLogger: quiet,
    plugins: [
      {
        // Records every resolution (importer -> module) before Vite swaps built-ins for its browser stub.
        name: 'record-imports',
        enforce: 'pre',
        async resolveId(source, importer, options) {
          if (!importer || source.startsWith('\0')) return null;
          if (builtins.has(source) || source.startsWith('node:')) {
            addEdge(graph, importer, `${importer} -> ${source}`, source, forbidden(source, undefined, importer));
            return null;
          }
          const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
          if (resolved && !resolved.external) addEdge(graph, importer, resolved.id, source, forbidden(source, resolved.id));
          return resolved;
        },
      },
    ],
    build: {
      write: false,
      minify: false,
      reportCompressedSize: false,
      lib: { entry: entries, formats: ['es'] },
    },
  });
  modules.vite = graph.edges.size;
  return findings(graph, 'vite');
}

/** How many modules with imports each bundler walked, so a run that bundled nothing is visible. */
const modules = { esbuild: 0, vite: 0 };
const started = performance.now();
try {
  const problems = [...(await checkEsbuild()), ...(await checkVite())];
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (problems.length > 0) {
    console.error(problems.join('\n'));
    console.error(`check-bundles: ${problems.length} problem(s) in browser bundles of ${packages.length} package(s) (${seconds} s). Move Node-only code behind the package's ./node entry.`);
    process.exitCode = 1;
  } else {
    console.log(`check-bundles: ${packages.map((p) => `@polyfuse/${p}`).join(', ')} bundle for the browser with esbuild and Vite: no Node built-in, no Node-only package, no ./node entry (${modules.esbuild} and ${modules.vite} importing modules walked, ${seconds} s).`);
    if (modules.esbuild < packages.length || modules.vite < packages.length) {
      console.error('check-bundles: a bundler walked fewer modules than there are entries; the check did not run.');
      process.exitCode = 1;
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}
