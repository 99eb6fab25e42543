import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { Registry } from '@polyfuse/core';
import { exitCodes } from '../index.js';
import { tinyPluginPath } from '../../fixtures/tinyDataset.js';
import { componentLines, listComponents, type ListedComponent } from './listCommand.js';
import { runPolyfuse } from '../../fixtures/runInProcess.js';

const project = mkdtempSync(path.join(tmpdir(), 'polyfuse-list-'));
afterAll(() => rmSync(project, { recursive: true, force: true }));

const polyfuse = (...args: string[]) => runPolyfuse(project, ...args);

describe('polyfuse list', () => {
  it('prints each component of a kind with its description and options', async () => {
    const result = await polyfuse('list', 'fusion');
    expect(result.code).toBe(exitCodes.ok);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^fusion \(\d+\)$/);
    const concat = lines.findIndex((l) => /^ {2}concat +Concatenates/.test(l));
    expect(concat).toBeGreaterThan(0);
    expect(lines[concat + 2]).toMatch(/^ {6}units +integer +=\s0 +Projection size/);
    expect(result.stdout).not.toMatch(/^encoder/m);
    // A plural names the kind too.
    expect((await polyfuse('list', 'fusions')).stdout).toBe(result.stdout);
  });

  it('lists every registered kind, and every component has a one-line description', async () => {
    const result = await polyfuse('list', '--json');
    expect(result.code).toBe(exitCodes.ok);
    const components = JSON.parse(result.stdout) as ListedComponent[];
    const kinds = new Set(components.map((c) => c.kind));
    for (const kind of ['encoder', 'fusion', 'head', 'loss', 'weighting', 'metric', 'preprocessor', 'optimizer', 'schedule', 'callback']) expect(kinds, kind).toContain(kind);
    for (const component of components) {
      expect(component.description, `${component.kind}/${component.name}`).toMatch(/\S/);
      expect(component.description, `${component.kind}/${component.name}`).not.toMatch(/\n/);
    }
    const adam = components.find((c) => c.kind === 'optimizer' && c.name === 'adam');
    expect(adam?.options.find((o) => o.name === 'learningRate')).toMatchObject({ type: 'number', required: false });
  });

  it('says which kinds exist when the kind is unknown, and exits 2', async () => {
    const result = await polyfuse('list', 'encodr');
    expect(result.code).toBe(exitCodes.usage);
    expect(result.stderr).toMatch(/^error: unknown component kind 'encodr' \(did you mean 'encoder'\?\)\. Kinds: .*encoder, fusion, head.*\n$/);
  });

  it("includes a plugin's components, marked, from --plugin or a config's plugins", async () => {
    const fromOption = await polyfuse('list', 'fusion', '--plugin', tinyPluginPath);
    expect(fromOption.code).toBe(exitCodes.ok);
    expect(fromOption.stdout).toMatch(new RegExp(`^ {2}tiny-concat +.*\\[plugin ${tinyPluginPath.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}\\]$`, 'm'));

    // A plugin file next to a config, registering into the shared registry the way any plugin does.
    writeFileSync(
      path.join(project, 'sumPlugin.mjs'),
      "globalThis[Symbol.for('polyfuse.registry')].register({ kind: 'fusion', name: 'plugin-sum', description: 'Sums the embeddings.', schema: { scale: { type: 'number', default: 1, description: 'Multiplies the sum.' } }, create: () => null });\n",
    );
    writeFileSync(path.join(project, 'config.json'), JSON.stringify({ plugins: ['./sumPlugin.mjs'], data: 'not validated by list' }));
    const fromConfig = await polyfuse('list', 'fusion', '--config', 'config.json', '--json');
    expect(fromConfig.code).toBe(exitCodes.ok);
    expect((JSON.parse(fromConfig.stdout) as ListedComponent[]).find((c) => c.name === 'plugin-sum')).toEqual({
      kind: 'fusion',
      name: 'plugin-sum',
      description: 'Sums the embeddings.',
      plugin: './sumPlugin.mjs',
      options: [{ name: 'scale', type: 'number', required: false, default: 1, description: 'Multiplies the sum.' }],
    });

    const missing = await polyfuse('list', '--plugin', './nowhere.mjs');
    expect(missing.code).toBe(exitCodes.usage);
    expect(missing.stderr).toMatch(/^error: --plugin: could not import '\.\/nowhere\.mjs' .*Paths are relative to the working directory\./);
  });

  it('formats options as name, type, default or required, and description with allowed values', () => {
    const registry = new Registry();
    registry.register({
      kind: 'head',
      name: 'scaled',
      description: 'A dense layer, scaled.',
      schema: {
        units: { type: 'integer', required: true, min: 1, description: 'Outputs.' },
        activation: { type: 'string', default: 'linear', enum: ['linear', 'relu'] },
      },
      create: () => null,
    });
    registry.register({ kind: 'head', name: 'identity', create: () => null });
    expect(componentLines(listComponents(registry, ['head'], new Map([['head/scaled', 'my-plugin']])))).toEqual([
      'head (2)',
      '  identity  (no description)',
      '  scaled    A dense layer, scaled. [plugin my-plugin]',
      '      units       integer  required    Outputs. (>= 1)',
      '      activation  string   = "linear"  (one of linear, relu)',
    ]);
  });
});
