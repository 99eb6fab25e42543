import { describe, expect, it, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { initBackend, createMultimodalModel } from '@polyfuse/core';
import '../registerPackages.js';
import { validateRunConfig } from '../index.js';

/** The complete example of docs/config.md, which must stay a valid config of the real packages. */
const docs = readFileSync(new URL('../../../../docs/config.md', import.meta.url), 'utf8');
const example = /```yaml\n(# av-digits\.yaml[\s\S]*?)```/.exec(docs)![1];

describe('docs/config.md', () => {
  beforeAll(async () => {
    await initBackend({ log: null });
  });

  it('its complete example validates against the registered components and builds', () => {
    const config = validateRunConfig(parse(example), '/project');
    expect(Object.keys(config.model.encoders)).toEqual(['image', 'audio']);
    expect(config.loss.weighting.name).toBe('dwa');
    const model = createMultimodalModel(config.model);
    expect(model.outputNames).toEqual(['logits', 'logits_image', 'logits_audio']);
    expect(model.model.outputs[0].shape).toEqual([null, 10]);
    model.dispose();
  });
});
