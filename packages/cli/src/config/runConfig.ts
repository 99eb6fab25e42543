import type { ComponentSpec, MultimodalModelSpec } from '@polyfuse/core';

/**
 * How one modality is read from the manifest. Field names follow
 * @polyfuse/data's DatasetSpec so the same `data` section drives both.
 */
export interface ModalityConfig {
  /** Manifest field holding the value. Default: the modality name. */
  field: string;
  /** `file` (path relative to the manifest), `text`, `number`, `numbers` or `record` (named values, inline). Default `file`. */
  type: 'file' | 'text' | 'number' | 'numbers' | 'record';
  /** For `record`: the manifest fields (CSV columns) gathered into the record. */
  columns?: string[];
  /** Registry name and options of the preprocessor (`preprocessor/<name>`). */
  preprocessor: ComponentSpec;
  /** When true, a sample without this field is a bad sample; otherwise it is masked. Default false. */
  required: boolean;
}

/** One target: a manifest field and what kind of value it holds (see docs/tasks.md). */
export interface LabelConfig {
  /** Manifest field. Default: the label name (none for a `match` target). */
  field: string;
  /** `class` (default), `multilabel`, `regression`, `sequence` or `match`. */
  type: 'class' | 'multilabel' | 'regression' | 'sequence' | 'match';
  /** `class` / `multilabel`: class names in index order; default: integer labels are their own index, others sorted. */
  classes?: (string | number)[];
  /** `regression`: values per sample; default from the first training value. */
  size?: number;
  /** `regression`: train on standardised values (mean and std of the training split); predictions are in original units. */
  standardize?: boolean;
  /** `sequence`: the tokenizer, a `preprocessor/text` spec (`addBosEos` is forced on). */
  tokenizer?: ComponentSpec;
  /** `match`: manifest field whose equal values mark samples that are positives of each other. */
  group?: string;
}

/** Where the train / validation / test split of each sample comes from. */
export interface SplitConfig {
  /** Manifest field naming each sample's split; without it, splits are drawn at random. */
  field?: string;
  /** Values of `field` per split. Default train: [train], validation: [val, validation, valid], test: [test]. */
  names: { train: string[]; validation: string[]; test: string[] };
  /** Without `field`: random fractions for validation and test (default 0.1 and 0.1). */
  fractions: { validation: number; test: number };
  /** Label whose class proportions every random split keeps. Default: none. */
  stratify?: string;
  /** Seed of the random split. Default: training.seed. */
  seed?: number;
  /** k-fold cross-validation: number of folds (>= 2); `fold` is held out (see docs/sweeps.md). */
  folds?: number;
  /** With `folds`: the held-out fold, 0 .. folds - 1. */
  fold?: number;
}

export interface DataConfig {
  /** Manifest path (JSONL or CSV), resolved relative to the config file. */
  manifest: string;
  /** Default: from the extension (`.csv` is CSV, anything else JSON lines). */
  format?: 'jsonl' | 'csv';
  modalities: Record<string, ModalityConfig>;
  labels: Record<string, LabelConfig>;
  /** Field holding a sample id; default `id` when present, else `line:<n>`. */
  idField?: string;
  split: SplitConfig;
  /** What to do with a sample that cannot be read: skip it (and report it) or stop. Default `skip`. */
  onBadSample: 'skip' | 'error';
  /** Text encoding of the manifest (a WHATWG label such as `latin1`). Default: strict UTF-8, a line that is not valid UTF-8 being a bad sample. */
  encoding?: string;
  /** On-disk cache of preprocessed features (relative to the config file); none when absent. */
  cacheDir?: string;
  /** Keep preprocessed samples in memory after the first epoch. Default false (stream). */
  cacheInMemory: boolean;
  /** Samples preprocessed concurrently. Default 8. */
  concurrency: number;
  /** Batches prepared ahead of the trainer. Default 2. */
  prefetch: number;
}

/** One named loss term: a loss function applied to one model output and one target. */
export interface LossTermConfig {
  /** `loss/<name>` from the registry (@polyfuse/losses), e.g. `cross-entropy`. */
  loss: string;
  /** Model output: `logits`, `logits_<modality>` or a named head's output. Default: the only head's. */
  output: string;
  /** Two embedding outputs for a contrastive loss (`[embedding_image, embedding_text]`); `logit_scale` is added when the model has it. */
  outputs?: string[];
  /** Label name from `data.labels`. Default: the only label. */
  target: string;
  config: Record<string, unknown>;
}

export interface LossConfig {
  terms: Record<string, LossTermConfig>;
  /** How the terms are combined: `weighting/<name>` (@polyfuse/losses) and its options. Default `static` (all 1). */
  weighting: ComponentSpec;
}

export interface TrainingConfig {
  epochs: number;
  batchSize: number;
  seed: number;
  /** Probability of dropping each modality of a training sample (never all of them). Default 0. */
  modalityDropout: number;
  /** Checkpoint folder, resolved relative to the run folder. Default `checkpoints`. */
  checkpointDir: string;
  /** Stop when the monitored validation metric has not improved for this many epochs (0 = never). */
  earlyStoppingPatience: number;
  /** Validation metric that picks the best checkpoint (its logged name, e.g. `bleu_tokens_caption`). Default: the first metric. */
  monitor?: string;
  /** Whether a larger monitored value is better; default: the metric's own direction. */
  monitorMode?: 'max' | 'min';
  /** Clip the global gradient norm to this value (torch clip_grad_norm_); 0 turns clipping off. */
  clipGradientNorm: number;
  /**
   * Worker threads training data-parallel replicas (each with its own
   * backend, on its share of every batch, gradients averaged). Default 1.
   */
  replicas: number;
}

export interface EvaluationConfig {
  /** Missing-modality rates at which robustness is measured on the test split. */
  robustness: number[];
  /** Measure each modality's contribution (score drop when it alone is masked). */
  contribution: boolean;
  /** Decoder heads: beams for a second, beam-search scoring of generated text (1 = greedy only). Default 1. */
  beamWidth: number;
  /** Samples per task shown in evaluation.json and the report (captions, matches, values). Default 12. */
  examples: number;
}

/** A whole run, as one YAML or JSON file describes it (see docs/config.md). */
export interface RunConfig {
  name: string;
  plugins: string[];
  backend: string;
  data: DataConfig;
  model: MultimodalModelSpec;
  loss: LossConfig;
  metrics: ComponentSpec[];
  optimizer: ComponentSpec;
  /** Learning-rate schedule; absent keeps the optimizer's rate. */
  schedule?: ComponentSpec;
  training: TrainingConfig;
  evaluation: EvaluationConfig;
  /** Folder the config file sits in; relative paths resolve against it. */
  baseDir: string;
}
