import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPolyfuse } from '../../fixtures/runInProcess.js';

const polyfuse = runPolyfuse;

describe('polyfuse inspect <config>', () => {
  it('explains that a text encoder sized by its fitted tokenizer is built in training, instead of failing', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-inspect-'));
    await fs.writeFile(path.join(dir, 'm.jsonl'), '{"text": "hello there", "label": "a"}\n');
    await fs.writeFile(
      path.join(dir, 'config.yaml'),
      [
        'data:',
        '  manifest: m.jsonl',
        '  modalities: { text: { type: text, preprocessor: { name: text, config: { maxLength: 8 } } } }',
        '  labels: { label: {} }',
        'model:',
        '  encoders: { text: { name: text-bag, config: { units: 8 } } }',
        '  fusion: { name: concat }',
        '  head: { name: mlp, config: { units: 2 } }',
      ].join('\n'),
    );
    const result = await polyfuse(dir, 'inspect', 'config.yaml', '--quiet');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('model.encoders.text.config.vocabSize, model.encoders.text.config.maxLength come from the preprocessors fitted on the training data');
    expect(result.stdout).toContain('polyfuse inspect <run>');
    await fs.rm(dir, { recursive: true, force: true });
  });
});
