// Benchmark: time to load and validate a config (docs/config.md's example)
// with every polyfuse package registered, and to build its model.
// Build first: npx tsc -b packages/cli ; then: node bench/cli/config.mjs
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { initBackend, createMultimodalModel } from '../../packages/core/dist/index.js';
import { validateRunConfig } from '../../packages/cli/dist/index.js';

const { parse } = createRequire(new URL('../../packages/cli/package.json', import.meta.url))('yaml');
await initBackend({ log: null });
const docs = readFileSync(new URL('../../docs/config.md', import.meta.url), 'utf8');
const raw = parse(/```yaml\n(# av-digits\.yaml[\s\S]*?)```/.exec(docs)[1]);
const runs = 200;
let start = performance.now();
let config;
for (let i = 0; i < runs; i++) config = validateRunConfig(structuredClone(raw), '/project');
const validate = (performance.now() - start) / runs;
start = performance.now();
for (let i = 0; i < 5; i++) createMultimodalModel(config.model).dispose();
const build = (performance.now() - start) / 5;
console.log(`validate config: ${validate.toFixed(3)} ms; build av-digits model: ${build.toFixed(1)} ms`);
