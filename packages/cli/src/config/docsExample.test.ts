import { describe, expect, it, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { initBackend, createMultimodalModel, registry, type ComponentSpec, type TargetInfo } from '@polyfuse/core';
import '../registerPackages.js';
import { validateRunConfig } from '../index.js';

/** The complete example of docs/config.md, which must stay a valid config of the real packages. */
const docs = readFileSync(new URL('../../../../docs/config.md', import.meta.url), 'utf8');
const example = /```yaml\n(# av-digits\.yaml[\s\S]*?)```/.exec(docs)![1];
const multiTask = /```yaml\n(# products\.yaml[\s\S]*?)```/.exec(docs)![1];

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

  it('its multi-task example validates, fills each target from its head, and builds from fitted targets', () => {
    const config = validateRunConfig(parse(multiTask), '/project');
    expect(Object.fromEntries(Object.entries(config.loss.terms).map(([name, t]) => [name, t.target]))).toEqual({ category: 'category', tags: 'tags', price: 'price', title: 'title', match: 'pair' });
    expect(config.metrics.map((m) => loggedName(m))).toEqual(['accuracy_logits_category', 'f1_weighted_logits_category', 'map_logits_tags', 'mae_values_price', 'cider_tokens_title', 'recall@5_image_description']);
    expect(config.loss.weighting.name).toBe('cagrad');
    expect(config.evaluation).toMatchObject({ beamWidth: 3, examples: 8 });
    // What the fitted data gives at train time: the description vocabulary and every target's sizes.
    const encoders = { ...config.model.encoders, description: { ...config.model.encoders.description!, config: { ...config.model.encoders.description!.config, vocabSize: 50, maxLength: 24 } } };
    const targets: Record<string, TargetInfo> = {
      category: { type: 'class', classes: ['bag', 'shirt', 'shoe'] },
      tags: { type: 'multilabel', classes: ['cotton', 'leather', 'red'] },
      price: { type: 'regression', size: 1 },
      title: { type: 'sequence', vocabSize: 40, maxLength: 14, padId: 0, bosId: 2, eosId: 3 },
      pair: { type: 'match' },
    };
    const model = createMultimodalModel({ ...config.model, encoders }, { targets });
    expect(model.outputNames).toEqual(expect.arrayContaining(['logits_category', 'logits_tags', 'values_price', 'tokens_title', 'embedding_image', 'embedding_description', 'logit_scale']));
    model.dispose();
  });
});

/** A metric's logged name, as the trainer gives it. */
function loggedName(spec: ComponentSpec): string {
  return registry.create<{ name: string }>('metric', spec.name, spec.config).name;
}
