import type { ComponentSpec } from '@polyfuse/core';

/** How one modality is read from the manifest. */
export interface ModalitySpec {
  /** Manifest field holding the value; defaults to the modality name. */
  field?: string;
  /**
   * What the field holds: `file` (a path relative to the manifest, checked to
   * exist and hashed for the cache), `text` (inline text), `number` or
   * `numbers` (inline numbers or an array; CSV cells are parsed), `record`
   * (named values, e.g. a table row, for tabular preprocessors such as
   * `numeric` and `categorical`). Default `file`.
   */
  type?: 'file' | 'text' | 'number' | 'numbers' | 'record';
  /**
   * For `record`: the manifest fields gathered into the record, so a CSV row's
   * columns can feed one tabular modality. Without it the field itself must
   * hold a JSON object.
   */
  columns?: string[];
  /** Registry name and options of the preprocessor, e.g. `{ name: 'image', config: { size: 28 } }`. */
  preprocessor: ComponentSpec;
  /** When true, a sample without this modality is a bad sample; otherwise it gets mask 0 and zeros. Default false. */
  required?: boolean;
}

/** How one label (a training target) is read from the manifest; see docs/tasks.md, "Targets". */
export interface LabelSpec {
  /** Manifest field; defaults to the label name. Not used by `match` targets (see `group`). */
  field?: string;
  /**
   * What the label is, and so its batch tensor `targets.<name>`:
   * - `class` (default): a class name or integer → int32 `[B]` class index;
   * - `multilabel`: a list of class names (CSV: separated by `;` or `|`) → float32 `[B, C]` 0/1;
   * - `regression` (`number` is its older name): a number or a list of `size` numbers → float32 `[B]` or `[B, size]`;
   * - `sequence`: a text or a list of texts (several references) → int32 `[B, L]` token ids, bos … eos, then pad;
   * - `match`: no value (or the `group` field) → int32 `[B]` group index; rows with equal index are positives.
   */
  type?: 'class' | 'multilabel' | 'regression' | 'number' | 'sequence' | 'match';
  /**
   * `class` / `multilabel`: class names in index order. When omitted they are
   * fitted on the training split: integer class labels are their own index,
   * other labels (and multi-label names) are sorted alphabetically.
   */
  classes?: (string | number)[];
  /** `regression`: values per sample (1: a scalar target). Default: the length of the first training value. */
  size?: number;
  /**
   * `regression`: train on `(y - mean) / std`, with each column's mean and
   * population std fitted on the training split (std 0 counts as 1).
   * Predictions are mapped back with the target's `invert`. Default false.
   */
  standardize?: boolean;
  /**
   * `sequence`: the registered preprocessor that tokenises the texts, e.g.
   * `{ name: 'text', config: { maxLength: 16 } }` (`addBosEos` is forced on).
   * Its vocabulary is fitted on every training reference. Required for `sequence`.
   */
  tokenizer?: ComponentSpec;
  /** `match`: manifest field whose equal values make samples positives of each other. Default: each sample is its own group. */
  group?: string;
}

/** Where the train / validation / test splits come from. */
export interface SplitSpec {
  /** Manifest field naming each sample's split. Without it, splits are drawn at random. */
  field?: string;
  /** Values of `field` per split. Default `{ train: 'train', validation: 'val' | 'validation' | 'valid', test: 'test' }`. */
  names?: { train?: string[]; validation?: string[]; test?: string[] };
  /**
   * Without `field`: fractions of samples drawn at random for validation and
   * test (default `{ validation: 0.1, test: 0 }`). With `field`: `validation`
   * is the fraction of the train split held out for validation when the field
   * names no validation samples (default 0: no validation split).
   */
  fractions?: { validation?: number; test?: number };
  /** Class label whose class proportions every split keeps (stratified split); only `class` targets can stratify. */
  stratify?: string;
  /** Seed of the random split; default the dataset's seed. */
  seed?: number;
  /**
   * k-fold cross-validation: the samples are dealt into `folds` folds
   * (seeded, per class of `stratify` when set) and fold `fold` is held out.
   * Without `field` the held-out fold is the test split and `fractions.validation`
   * of the other folds is drawn for validation (`fractions.test` is not used);
   * with `field` the field's test split stays the test split, and the folds
   * divide its train and validation samples: the held-out fold validates, the others train.
   */
  folds?: number;
  /** The held-out fold, `0 .. folds - 1`; required with `folds`. */
  fold?: number;
}

/** A dataset: a manifest and how to turn each line into model inputs and targets. */
export interface DatasetSpec {
  /** Path of the manifest (`.jsonl` / `.json` lines or `.csv`). */
  manifest: string;
  /** Manifest format; by default from the extension. */
  format?: 'jsonl' | 'csv';
  modalities: Record<string, ModalitySpec>;
  labels?: Record<string, LabelSpec>;
  /** Field holding a sample id; default `id` when present, else `line:<n>`. */
  idField?: string;
  split?: SplitSpec;
  /** `skip` (default): bad lines and samples are skipped and reported; `error`: the first one stops the run. */
  onBadSample?: 'skip' | 'error';
  /**
   * Text encoding of the manifest. Default `utf-8`: a line that is not valid
   * UTF-8 is a bad sample (skipped and reported, or the run stops, per
   * `onBadSample`), never decoded with replacement characters. Any WHATWG
   * encoding label (`latin1`, `windows-1252`, `utf-16le`, ...) decodes the whole file so.
   */
  encoding?: string;
  /** Folder of the on-disk feature cache; none when omitted. */
  cacheDir?: string;
  /** Keep preprocessed samples in memory after the first epoch (for datasets that fit). Default false: stream. */
  cacheInMemory?: boolean;
  /** Samples preprocessed concurrently. Default 8. */
  concurrency?: number;
  /** Batches prepared ahead of the consumer. Default 2. */
  prefetch?: number;
  /** Seed for shuffling, random splits and per-sample augmentation. Default 0. */
  seed?: number;
}
