import { describe, expect, it, beforeAll } from 'vitest';
import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, createMultimodalModel, initBackend } from '@polyfuse/core';
import { loadDataset } from '@polyfuse/data/node';
import '../registerPackages.js';
import { validateRunConfig } from '../index.js';
import { toDatasetSpec } from './toDatasetSpec.js';
import { withDataSizes } from '../training/dataSizes.js';
import { writeTaskDataset } from '../../fixtures/taskDataset.js';

/**
 * Config validation for task shapes (docs/tasks.md, docs/config.md): every
 * mistake fails before anything trains, with the path of the bad field and
 * what is allowed there. The base is the multi-task fixture config (a class,
 * multilabel, regression, sequence and match target, one head each).
 */
let dir: string;
let base: Record<string, any>;

function taskConfig(change: (config: Record<string, any>) => void = () => {}): Record<string, any> {
  const config = structuredClone(base);
  change(config);
  return config;
}

function errorOf(change: (config: Record<string, any>) => void): string {
  try {
    validateRunConfig(taskConfig(change), dir);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('expected a ConfigError');
}

beforeAll(async () => {
  await initBackend({ log: null });
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'polyfuse-task-config-'));
  base = (await writeTaskDataset(dir)).config;
});

describe('task configs that fail before training', () => {
  it('a loss term naming an output the model does not have', () => {
    expect(errorOf((c) => (c.loss.terms = { shape: { loss: 'cross-entropy', output: 'logits_colour', target: 'shape' } }))).toBe(
      'loss.terms.shape.output must be one of "logits_shape", "logits_tags", "values_size", "tokens_caption", "embedding_x", "embedding_text", "logit_scale", got "logits_colour".',
    );
    expect(errorOf((c) => (c.loss.terms = { pair: { loss: 'clip-contrastive', outputs: ['embedding_x', 'embedding_image'], target: 'pair' } }))).toMatch(
      /^loss\.terms\.pair\.outputs\[1\] must be one of .*"embedding_text".*, got "embedding_image"\.$/,
    );
  });

  it('a contrastive loss on outputs that are not embeddings', () => {
    expect(errorOf((c) => (c.loss.terms = { pair: { loss: 'clip-contrastive', outputs: ['logits_shape', 'values_size'], target: 'pair' } }))).toBe(
      'loss.terms.pair.outputs: a contrastive loss reads two embedding outputs (embedding_x, embedding_text), got ["logits_shape","values_size"].',
    );
    expect(errorOf((c) => (c.loss.terms = { pair: { loss: 'clip-contrastive', output: 'logits_shape', target: 'pair' } }))).toMatch(
      /^loss\.terms\.pair\.outputs: a contrastive loss reads two embedding outputs \(embedding_x, embedding_text\)/,
    );
    // Without a projection head there is no embedding to offer.
    expect(
      errorOf((c) => {
        delete c.data.labels.pair;
        delete c.model.heads.pair;
        c.loss.terms = { pair: { loss: 'clip-contrastive', outputs: ['logits_shape', 'logits_tags'], target: 'shape' } };
      }),
    ).toMatch(/^loss\.terms\.pair\.outputs: a contrastive loss reads two embedding outputs \(none: add a projection head for a match target\)/);
  });

  it('a loss that does not suit its output or target', () => {
    expect(errorOf((c) => (c.loss.terms = { size: { loss: 'mse', output: 'logits_shape', target: 'shape' } }))).toBe(
      "loss.terms.size.output: 'mse' scores a regression head's values_<head> output, got 'logits_shape' (logits).",
    );
    expect(errorOf((c) => (c.loss.terms = { caption: { loss: 'sequence-cross-entropy', output: 'logits_shape' } }))).toBe(
      "loss.terms.caption.output: 'sequence-cross-entropy' scores a decoder's tokens_<head> output, got 'logits_shape' (logits).",
    );
    expect(errorOf((c) => (c.loss.terms = { tags: { loss: 'cross-entropy', output: 'logits_tags' } }))).toBe(
      "loss.terms.tags.loss: 'cross-entropy' needs a class target, but 'tags' is a multilabel target.",
    );
  });

  it('a loss term without output or target when several heads exist', () => {
    expect(errorOf((c) => (c.loss.terms = { main: { loss: 'cross-entropy' } }))).toBe(
      'loss.terms.main.output is required: the model has several outputs (logits_shape, logits_tags, values_size, tokens_caption, embedding_x, embedding_text, logit_scale).',
    );
  });

  it('a sequence target without a decoder head, and a match target without a projection head', () => {
    expect(errorOf((c) => delete c.model.heads.caption)).toBe(
      'data.labels.caption is a sequence target, so model.heads needs a decoder head, e.g. { name: text-decoder, target: caption, input: <modality> }.',
    );
    expect(errorOf((c) => delete c.model.heads.pair)).toBe('data.labels.pair is a match target, so model.heads needs a projection head, e.g. { name: projection, target: pair }.');
  });

  it('a head on an unknown target, an unknown head or input', () => {
    expect(errorOf((c) => (c.model.heads.colour = { name: 'mlp', target: 'colour' }))).toBe(
      'model.heads.colour.target must be one of "shape", "tags", "size", "caption", "pair", got "colour".',
    );
    expect(errorOf((c) => (c.model.heads.shape = { name: 'mlp' }))).toBe('model.heads.shape.target is required when there are several labels (shape, tags, size, caption, pair).');
    expect(errorOf((c) => (c.model.heads.shape.name = 'mlpp'))).toMatch(/^model\.heads\.shape\.name: unknown head 'mlpp'\. Registered heads: .*mlp.*projection.*text-decoder/);
    expect(errorOf((c) => (c.model.heads.size.input = 'image'))).toBe("model.heads.size.input must be 'fused' or a modality (x, text), got \"image\".");
    expect(errorOf((c) => (c.model.heads['2nd'] = { name: 'mlp', target: 'shape' }))).toMatch(/^model\.heads\.2nd: a head name must start with a letter/);
  });

  it('a head that does not suit its target type', () => {
    expect(errorOf((c) => (c.model.heads.shape.name = 'text-decoder'))).toBe(
      "model.heads.shape.name: target 'shape' is a class target, so it needs a head that gives logits or values (mlp, linear); 'text-decoder' produces tokens.",
    );
    expect(errorOf((c) => (c.model.heads.caption = { name: 'mlp', target: 'caption' }))).toBe(
      "model.heads.caption.name: target 'caption' is a sequence target, so it needs a decoder head (text-decoder, from @polyfuse/text); 'mlp' gives logits or values.",
    );
    expect(errorOf((c) => (c.model.heads.pair = { name: 'mlp', target: 'pair' }))).toBe(
      "model.heads.pair.name: target 'pair' is a match target, so it needs a projection head (projection); 'mlp' gives logits or values.",
    );
    expect(errorOf((c) => (c.model.heads.size.name = 'projection'))).toBe(
      "model.heads.size.name: target 'size' is a regression target, so it needs a head that gives logits or values (mlp, linear); 'projection' produces embedding.",
    );
  });

  it('sizes the fitted target decides, typed into a head config', () => {
    expect(errorOf((c) => (c.model.heads.shape.config = { units: 3 }))).toBe("model.heads.shape.config.units: the fitted target 'shape' decides it; remove it from the config.");
    expect(errorOf((c) => (c.model.heads.caption.config.vocabSize = 40))).toBe(
      "model.heads.caption.config.vocabSize: the fitted target 'caption' decides it; remove it from the config.",
    );
    expect(errorOf((c) => (c.model.heads.caption.config.maxLength = 9))).toBe(
      "model.heads.caption.config.maxLength: the fitted target 'caption' decides it; remove it from the config.",
    );
    // The head's own options are still checked against its schema.
    expect(errorOf((c) => (c.model.heads.caption.config.decoder = 'gru'))).toBe('model.heads.caption.config.decoder must be one of "transformer", "lstm", got "gru".');
  });

  it('a head on the fused embedding without a fusion', () => {
    expect(errorOf((c) => delete c.model.fusion)).toBe("model.heads.shape.input: 'fused' needs model.fusion; add one, or set input to a modality (x, text).");
    expect(
      errorOf((c) => {
        delete c.model.heads;
        c.model.head = { name: 'mlp', config: { units: 3 } };
        delete c.model.fusion;
      }),
    ).toBe('model.fusion is required: model.head reads the fused embedding.');
    expect(errorOf((c) => delete c.model.heads)).toBe('model needs a head (one classifier on the fused embedding) or heads (one per target; see docs/tasks.md).');
  });

  it('target options that do not belong to the target type', () => {
    expect(errorOf((c) => delete c.data.labels.caption.tokenizer)).toBe(
      'data.labels.caption.tokenizer is required for a sequence target: a text preprocessor, e.g. { name: text, config: { tokenizer: word, maxLength: 16 } }.',
    );
    expect(errorOf((c) => (c.data.labels.caption.tokenizer = { name: 'tokens' }))).toMatch(/^data\.labels\.caption\.tokenizer\.name: unknown preprocessor 'tokens' \(registered: .*text/);
    expect(errorOf((c) => (c.data.labels.caption.tokenizer.config.maxLength = 0))).toMatch(/^data\.labels\.caption\.tokenizer\.config\.maxLength must be an integer >= /);
    expect(errorOf((c) => (c.data.labels.caption.tokenizer.config.maxLength = 2))).toBe(
      'data.labels.caption.tokenizer.config.maxLength must be at least 3 for a sequence target (bos, one token, eos), got 2.',
    );
    expect(errorOf((c) => (c.data.labels.shape.group = 'id'))).toBe('data.labels.shape.group applies to match targets; this one is class.');
    expect(errorOf((c) => (c.data.labels.pair.tokenizer = 'text'))).toBe('data.labels.pair.tokenizer applies to sequence targets; this one is match.');
    expect(errorOf((c) => (c.data.labels.caption.standardize = true))).toBe('data.labels.caption.standardize applies to regression targets; this one is sequence.');
    expect(errorOf((c) => (c.data.labels.size.classes = ['a', 'b']))).toBe('data.labels.size.classes applies to class / multilabel targets; this one is regression.');
    expect(errorOf((c) => (c.data.labels.size.size = 0))).toBe('data.labels.size.size must be an integer >= 1, got 0.');
    expect(errorOf((c) => (c.data.labels.shape.type = 'category'))).toBe(
      'data.labels.shape.type must be one of "class", "multilabel", "regression", "number", "sequence", "match", got "category".',
    );
  });

  it('stratifying on a target that is not a class target', () => {
    expect(errorOf((c) => (c.data.split.stratify = 'size'))).toBe('data.split.stratify must be one of the class labels (shape), got "size".');
    expect(errorOf((c) => (c.data.split.stratify = 'tags'))).toBe('data.split.stratify must be one of the class labels (shape), got "tags".');
  });

  it('a metric without an output when several heads exist, or on an output the model lacks', () => {
    expect(errorOf((c) => (c.metrics = ['accuracy']))).toBe(
      'metrics[0].config.output is required: the model has several heads (outputs: logits_shape, logits_tags, values_size, tokens_caption, embedding_x, embedding_text, logit_scale).',
    );
    expect(errorOf((c) => (c.metrics = [{ name: 'recall@5', config: { target: 'pair' } }]))).toBe(
      'metrics[0].config.outputs is required: the model has several heads (outputs: logits_shape, logits_tags, values_size, tokens_caption, embedding_x, embedding_text, logit_scale).',
    );
    expect(errorOf((c) => (c.metrics = [{ name: 'bleu', config: { output: 'tokens_answer' } }]))).toBe(
      'metrics[0].config.output: "tokens_answer" is not a model output (logits_shape, logits_tags, values_size, tokens_caption, embedding_x, embedding_text, logit_scale).',
    );
    expect(errorOf((c) => (c.metrics = [{ name: 'mae', config: { output: 'values_size', target: 'speed' } }]))).toBe(
      'metrics[0].config.target must be one of shape, tags, size, caption, pair, got "speed".',
    );
  });

  it('a metric on an output or target of the wrong kind', () => {
    expect(errorOf((c) => (c.metrics = [{ name: 'mae', config: { output: 'logits_shape' } }]))).toBe(
      "metrics[0].config.output: 'mae' scores a regression head's values_<head> output of a regression target (values_size), got 'logits_shape' (logits).",
    );
    expect(errorOf((c) => (c.metrics = [{ name: 'bleu', config: { output: 'values_size' } }]))).toBe(
      "metrics[0].config.output: 'bleu' scores a decoder's tokens_<head> output of a sequence target (tokens_caption), got 'values_size' (values).",
    );
    expect(errorOf((c) => (c.metrics = [{ name: 'recall@1', config: { outputs: ['embedding_x', 'logits_shape'] } }]))).toBe(
      "metrics[0].config.outputs: 'recall@1' scores two embedding_<modality> outputs of a match target (embedding_x, embedding_text), got 'logits_shape' (logits).",
    );
    expect(errorOf((c) => (c.metrics = [{ name: 'accuracy', config: { output: 'logits_tags' } }]))).toBe(
      "metrics[0].config.target: 'accuracy' scores a class target (shape), but 'tags' is a multilabel target.",
    );
  });

  it('two heads that would make the same output', () => {
    expect(
      errorOf((c) => {
        c.data.labels.pair2 = { type: 'match' };
        c.model.heads.pair2 = { name: 'projection', target: 'pair2' };
      }),
    ).toBe("model.heads.pair2: its output 'embedding_x' is also made by model.heads.pair; rename the head, or give a projection head other config.modalities.");
  });

  it('training.monitor naming a metric the run does not log', () => {
    expect(errorOf((c) => (c.training.monitor = 'bleu'))).toMatch(
      /^training\.monitor must name one of the metrics \(accuracy_logits_shape, f1_logits_shape, multilabel_f1_logits_tags, .*bleu_tokens_caption, .*median_rank_x_text\), got "bleu"\.$/,
    );
    expect(errorOf((c) => (c.training.monitorMode = 'up'))).toBe('training.monitorMode must be one of "max", "min", got "up".');
  });

  it('evaluation options out of range', () => {
    expect(errorOf((c) => (c.evaluation.beamWidth = 0))).toMatch(/^evaluation\.beamWidth must be an integer >= 1/);
    expect(errorOf((c) => (c.evaluation.examples = -1))).toMatch(/^evaluation\.examples must be an integer >= 0/);
  });
});

describe('valid task configs get their defaults', () => {
  it('one loss term per head, with the usual loss of its target type', () => {
    const config = validateRunConfig(taskConfig(), dir);
    expect(Object.fromEntries(Object.entries(config.loss.terms).map(([name, t]) => [name, { loss: t.loss, output: t.output, outputs: t.outputs, target: t.target }]))).toEqual({
      shape: { loss: 'cross-entropy', output: 'logits_shape', outputs: undefined, target: 'shape' },
      tags: { loss: 'bce-with-logits', output: 'logits_tags', outputs: undefined, target: 'tags' },
      size: { loss: 'mse', output: 'values_size', outputs: undefined, target: 'size' },
      caption: { loss: 'sequence-cross-entropy', output: 'tokens_caption', outputs: undefined, target: 'caption' },
      pair: { loss: 'clip-contrastive', output: 'embedding_x', outputs: ['embedding_x', 'embedding_text'], target: 'pair' },
    });
    expect(config.loss.weighting.name).toBe('uncertainty');
  });

  it('a loss term names only its output; the target follows from the head', () => {
    const config = validateRunConfig(taskConfig((c) => (c.loss.terms = { size: { loss: 'huber', output: 'values_size' }, pair: { loss: 'clip-contrastive', outputs: ['embedding_text', 'embedding_x'] } })), dir);
    expect(config.loss.terms.size).toMatchObject({ loss: 'huber', output: 'values_size', target: 'size' });
    expect(config.loss.terms.pair).toMatchObject({ outputs: ['embedding_text', 'embedding_x'], target: 'pair' });
  });

  it('the usual metrics of each target type, on that head\'s outputs', () => {
    const config = validateRunConfig(taskConfig(), dir);
    const metrics = config.metrics.map((m) => [m.name, m.config!.output ?? m.config!.outputs, m.config!.target]);
    expect(metrics).toEqual([
      ['accuracy', 'logits_shape', 'shape'],
      ['f1', 'logits_shape', 'shape'],
      ['multilabel-f1', 'logits_tags', 'tags'],
      ['map', 'logits_tags', 'tags'],
      ['mae', 'values_size', 'size'],
      ['rmse', 'values_size', 'size'],
      ['r2', 'values_size', 'size'],
      ['bleu', 'tokens_caption', 'caption'],
      ['cider', 'tokens_caption', 'caption'],
      ['rouge-l', 'tokens_caption', 'caption'],
      ['exact-match', 'tokens_caption', 'caption'],
      ['recall@1', ['embedding_x', 'embedding_text'], 'pair'],
      ['recall@5', ['embedding_x', 'embedding_text'], 'pair'],
      ['recall@10', ['embedding_x', 'embedding_text'], 'pair'],
      ['median-rank', ['embedding_x', 'embedding_text'], 'pair'],
    ]);
    expect(config.training.monitor).toBe('bleu_tokens_caption');
  });

  it('a metric with an output takes its target from the head that makes it', () => {
    const config = validateRunConfig(taskConfig((c) => { c.metrics = [{ name: 'mae', config: { output: 'values_size' } }, { name: 'recall@k', config: { outputs: ['embedding_text', 'embedding_x'], k: 3 } }]; c.training.monitor = 'recall@3_text_x'; }), dir);
    expect(config.metrics.map((m) => m.config!.target)).toEqual(['size', 'pair']);
  });

  it('with a single head, metrics and loss read its outputs without naming them', () => {
    const config = validateRunConfig(
      taskConfig((c) => {
        c.data.labels = { size: c.data.labels.size };
        c.data.split = {};
        c.model.heads = { size: { name: 'mlp', config: { hiddenUnits: [8] } } };
        c.loss = {};
        c.metrics = ['mae'];
        c.training.monitor = 'mae_values_size';
      }),
      dir,
    );
    expect(config.model.heads!.size).toEqual({ name: 'mlp', target: 'size', input: 'fused', config: expect.objectContaining({ hiddenUnits: [8] }) });
    expect(config.loss.terms).toEqual({ size: expect.objectContaining({ loss: 'mse', output: 'values_size', target: 'size' }) });
    expect(config.metrics).toEqual([{ name: 'mae', config: { output: 'values_size', target: 'size' } }]);
  });

  it('model.fusion is optional when every head reads a modality (a dual encoder)', () => {
    const config = validateRunConfig(
      taskConfig((c) => {
        delete c.model.fusion;
        c.data.labels = { pair: { type: 'match' }, size: c.data.labels.size };
        c.data.split = {};
        c.model.heads = { pair: { name: 'projection', target: 'pair', config: { dim: 8 } }, size: { name: 'mlp', target: 'size', input: 'x' } };
        c.training.monitor = 'recall@1_x_text';
      }),
      dir,
    );
    expect(config.model.fusion).toBeUndefined();
    expect(Object.keys(config.loss.terms)).toEqual(['pair', 'size']);
  });

  it('labels fill their defaults per type', () => {
    const config = validateRunConfig(taskConfig((c) => (c.data.labels.speed = { field: 'v', type: 'number' })), dir);
    expect(config.data.labels).toEqual({
      shape: { field: 'shape', type: 'class' },
      tags: { field: 'tags', type: 'multilabel' },
      size: { field: 'size', type: 'regression', standardize: true },
      caption: { field: 'caption', type: 'sequence', tokenizer: { name: 'text', config: expect.objectContaining({ maxLength: 9 }) } },
      pair: { field: 'pair', type: 'match' },
      speed: { field: 'v', type: 'regression' },
    });
    expect(config.evaluation).toMatchObject({ beamWidth: 2, examples: 4 });
    expect(validateRunConfig(taskConfig((c) => delete c.evaluation), dir).evaluation).toMatchObject({ beamWidth: 1, examples: 12 });
  });

  it("leaves a text encoder's vocabSize and maxLength to the fitted preprocessor, filled at train time", async () => {
    const config = validateRunConfig(taskConfig(), dir);
    expect(config.model.encoders.text!.config).not.toHaveProperty('vocabSize');
    const dataset = await loadDataset(toDatasetSpec(config.data, dir, config.training.seed));
    const preprocessor = dataset.preprocessors.text as unknown as { vocabSize: number };
    const model = withDataSizes(config.model, dataset.preprocessors);
    expect(model.encoders.text!.config).toMatchObject({ vocabSize: preprocessor.vocabSize, maxLength: 6 });
    expect(preprocessor.vocabSize).toBeGreaterThan(4);
    // A typed vocabSize is kept as it is.
    expect(withDataSizes(validateRunConfig(taskConfig((c) => (c.model.encoders.text.config.vocabSize = 50)), dir).model, dataset.preprocessors).encoders.text!.config!.vocabSize).toBe(50);
    const built = createMultimodalModel(model, { targets: dataset.targetInfo() });
    expect(built.outputNames).toEqual(expect.arrayContaining(['logits_shape', 'values_size', 'tokens_caption', 'embedding_x', 'embedding_text', 'logit_scale']));
    built.dispose();
  });
});
