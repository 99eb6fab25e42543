import path from 'node:path';
import { promises as fs } from 'node:fs';
import { InputError, ConfigError, SeededRandom, deriveSeed, registry, type Preprocessor, type TargetInfo, type TargetType } from '@polyfuse/core';
import type { DatasetSpec } from '../schema/datasetSpec.js';
import type { SampleRecord } from '../schema/readSample.js';
import type { Target } from '../targets/target.js';
import { formatIssue, type SampleIssue } from '../manifest/manifestRow.js';
import type { SplitName, Splits } from '../split/splitSamples.js';
import { collateBatch, disposeBatch, type FeatureSpec, type ProcessedSample, type TargetLayout } from '../batch/collate.js';
import { orderedMap } from '../pipeline/orderedMap.js';
import { prefetch } from '../pipeline/prefetch.js';
import { FeatureCache } from '../cache/featureCache.js';
import type { DataLoader, LoadedBatch, LoaderOptions } from './dataLoader.js';

/** What a saved model needs to preprocess new samples exactly as in training. */
export interface DatasetState {
  preprocessors: Record<string, { name: string; config: Record<string, unknown>; state?: unknown }>;
  /**
   * Per label: its type, what its target learned (`state`, from
   * `Target.getState`) and, for readers of older states, its class names
   * (empty for targets without classes).
   */
  labels: Record<string, SavedTarget>;
}

/** One label's saved form. States saved before typed targets have no `state` (`type` was `class` or `number`). */
export interface SavedTarget {
  type: TargetType | 'number';
  classes: string[];
  state?: unknown;
}

/** Restores a target from its saved form (`classes` only in states saved before typed targets). */
export function restoreTarget(target: Target, saved: SavedTarget): void {
  target.setState(saved.state !== undefined ? saved.state : { classes: saved.classes, size: 1 });
}

/** Counts for reports and `polyfuse inspect`. */
export interface DatasetSummary {
  samples: Record<SplitName, number>;
  /** Per label and split, samples per class name (class labels only). */
  classCounts: Record<string, Record<SplitName, Record<string, number>>>;
  /** Per modality and split, samples where the modality is absent. */
  missing: Record<string, Record<SplitName, number>>;
  issues: number;
}

/**
 * A multimodal dataset: samples split into train / validation / test, one
 * preprocessor per modality, and loaders that turn samples into batches.
 * Build it with `loadDataset` (from a manifest) or `datasetFromSamples`.
 *
 * Samples are preprocessed on demand, `concurrency` at a time, with
 * `prefetch` batches prepared ahead; nothing is held beyond that unless
 * `cacheInMemory` is set, so datasets larger than memory stream.
 */
export class Dataset {
  readonly spec: DatasetSpec;
  /** Folder that relative file paths in the manifest resolve against. */
  readonly baseDir: string;
  readonly source: string;
  readonly splits: Splits;
  readonly preprocessors: Record<string, Preprocessor>;
  /** One fitted target per label (`data.labels`): heads size themselves from them and predictions decode with them. */
  readonly targets: Record<string, Target>;
  /** Every bad line or sample met so far (manifest problems first, then decoding problems as they happen). */
  readonly issues: SampleIssue[];
  /** Called for each bad sample as it is skipped (for progress output). */
  onIssue?: (issue: SampleIssue) => void;
  readonly cache?: FeatureCache;
  private readonly memory = new Map<string, ProcessedSample | null>();
  private readonly reported = new Set<string>();
  private fitted = false;

  constructor(init: {
    spec: DatasetSpec;
    baseDir: string;
    source: string;
    splits: Splits;
    targets: Record<string, Target>;
    issues: SampleIssue[];
    preprocessors?: Record<string, Preprocessor>;
  }) {
    this.spec = init.spec;
    this.baseDir = init.baseDir;
    this.source = init.source;
    this.splits = init.splits;
    this.targets = init.targets;
    this.issues = init.issues;
    this.preprocessors =
      init.preprocessors ??
      Object.fromEntries(
        Object.entries(init.spec.modalities).map(([m, s]) => [
          m,
          registry.create<Preprocessor>('preprocessor', s.preprocessor.name, s.preprocessor.config ?? {}, `dataset.modalities.${m}.preprocessor`),
        ]),
      );
    if (init.spec.cacheDir) this.cache = new FeatureCache(path.resolve(init.baseDir, init.spec.cacheDir));
  }

  /** The targets under their older name. */
  get labels(): Record<string, Target> {
    return this.targets;
  }

  /** What each target tells the model (classes, regression width, vocabulary), to size heads. */
  targetInfo(): Record<string, TargetInfo> {
    return Object.fromEntries(Object.entries(this.targets).map(([n, t]) => [n, t.info()]));
  }

  /** Shape and dtype of each modality's sample tensor (from its preprocessor). */
  get features(): Record<string, FeatureSpec> {
    return Object.fromEntries(Object.entries(this.preprocessors).map(([m, p]) => [m, { shape: p.outputShape, dtype: p.dtype }]));
  }

  get modalities(): string[] {
    return Object.keys(this.spec.modalities);
  }

  /**
   * Fits every preprocessor that learns from data (`fit`) on the training
   * split's present values. Called once; later calls do nothing.
   */
  async fit(): Promise<void> {
    if (this.fitted) return;
    for (const [m, p] of Object.entries(this.preprocessors)) {
      if (!p.fit) continue;
      const values = this.splits.train.map((r) => r.fields[m]).filter((v) => v !== undefined);
      await p.fit(values, { baseDir: this.baseDir });
    }
    this.fitted = true;
  }

  /** Preprocessor configs and fitted states plus fitted targets, to save beside a trained model. */
  getState(): DatasetState {
    return {
      preprocessors: Object.fromEntries(
        Object.entries(this.preprocessors).map(([m, p]) => [m, { name: this.spec.modalities[m].preprocessor.name, config: p.config, state: p.getState?.() }]),
      ),
      labels: Object.fromEntries(Object.entries(this.targets).map(([n, t]) => [n, { type: t.type, classes: [...t.classes], state: t.getState() }])),
    };
  }

  /** Restores fitted preprocessor and target states saved with `getState` (instead of fitting again). */
  setState(state: DatasetState): void {
    for (const [name, target] of Object.entries(this.targets)) {
      const saved = state.labels?.[name];
      if (saved) restoreTarget(target, saved);
    }
    for (const [m, p] of Object.entries(this.preprocessors)) {
      const saved = state.preprocessors[m];
      if (saved?.state !== undefined) {
        if (!p.setState) throw new ConfigError(`The saved state has fitted values for modality '${m}' but its preprocessor cannot restore them (no setState).`);
        p.setState(saved.state);
      }
    }
    this.fitted = true;
  }

  summary(): DatasetSummary {
    const splitNames: SplitName[] = ['train', 'validation', 'test'];
    const samples = Object.fromEntries(splitNames.map((s) => [s, this.splits[s].length])) as Record<SplitName, number>;
    const classCounts: DatasetSummary['classCounts'] = {};
    for (const [name, target] of Object.entries(this.targets)) {
      if (target.type !== 'class') continue;
      classCounts[name] = Object.fromEntries(
        splitNames.map((s) => {
          const counts: Record<string, number> = {};
          for (const r of this.splits[s]) {
            const c = target.classes[r.targets[name] as number];
            counts[c] = (counts[c] ?? 0) + 1;
          }
          return [s, counts];
        }),
      ) as Record<SplitName, Record<string, number>>;
    }
    const missing = Object.fromEntries(
      this.modalities.map((m) => [m, Object.fromEntries(splitNames.map((s) => [s, this.splits[s].filter((r) => r.fields[m] === undefined).length]))]),
    ) as DatasetSummary['missing'];
    return { samples, classCounts, missing, issues: this.issues.length };
  }

  /**
   * Preprocesses every sample of every split once, as evaluation does (no
   * augmentation), and removes the ones that fail from their split, reporting
   * each as an issue. Afterwards split sizes, `summary()` and loaders count
   * only usable samples, and batches are never short of a bad sample. Costs
   * one pass over the data (filling the feature and memory caches when they
   * are on). `onProgress` is called with the samples checked so far; when
   * `signal` aborts, checking stops there and nothing is removed. Returns the
   * manifest lines removed (for `dropLines` in another copy of the dataset).
   */
  async dropUnusable(options: { onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {}): Promise<number[]> {
    const items = Object.values(this.splits).flat();
    const unusable: number[] = [];
    let done = 0;
    const checked = orderedMap(items, async (record) => ({ record, usable: (await this.processRecord(record)) !== undefined }), Math.max(1, this.spec.concurrency ?? 8));
    for await (const { record, usable } of checked) {
      if (options.signal?.aborted) return [];
      if (!usable) unusable.push(record.line);
      options.onProgress?.(++done, items.length);
    }
    this.dropLines(unusable);
    return unusable;
  }

  /** Removes the samples of these manifest lines from every split (what `dropUnusable` found in another copy). */
  dropLines(lines: Iterable<number>): void {
    const drop = new Set(lines);
    if (drop.size === 0) return;
    for (const list of Object.values(this.splits)) {
      let kept = 0;
      for (const record of list) if (!drop.has(record.line)) list[kept++] = record;
      list.length = kept;
    }
  }

  /**
   * The in-memory cache's entries for one split's samples, to hand to
   * another copy of this dataset made from the same spec and manifest (a
   * data-parallel replica in a worker thread), so that copy does not
   * preprocess them again. Empty unless `cacheInMemory` is on; samples that
   * failed are included (as null), so the other copy skips them too.
   */
  cachedSamples(split: SplitName): [string, ProcessedSample | null][] {
    const out: [string, ProcessedSample | null][] = [];
    for (const record of this.splits[split]) {
      const key = memoryKeyOf(record);
      if (this.memory.has(key)) out.push([key, this.memory.get(key)!]);
    }
    return out;
  }

  /** Adds `cachedSamples` of another copy of this dataset to the in-memory cache (ignored unless `cacheInMemory` is on). */
  useCachedSamples(entries: Iterable<[string, ProcessedSample | null]>): void {
    if (!this.spec.cacheInMemory) return;
    for (const [key, sample] of entries) this.memory.set(key, sample);
  }

  /** A loader over one split. Fit the preprocessors first (loadDataset does). */
  loader(split: SplitName, options: LoaderOptions): DataLoader {
    if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
      throw new ConfigError(`batchSize must be an integer >= 1, got ${JSON.stringify(options.batchSize)}.`);
    }
    const records = this.splits[split];
    const { batchSize, shuffle = false, dropLast = false, augment = false } = options;
    const seed = options.seed ?? this.spec.seed ?? 0;
    const batchCount = dropLast ? Math.floor(records.length / batchSize) : Math.ceil(records.length / batchSize);
    const dataset = this;
    return {
      size: records.length,
      batchCount,
      batchSize,
      batches(epoch: number, { skip = 0 } = {}): AsyncIterable<LoadedBatch> {
        const order = records.map((_, i) => i);
        if (shuffle) new SeededRandom(deriveSeed(seed, `shuffle:${epoch}`)).shuffle(order);
        return prefetch(dataset.epochBatches(records, order, { batchSize, batchCount, skip, epoch, augment, seed }), dataset.spec.prefetch ?? 2, disposeBatch);
      },
    };
  }

  /**
   * Preprocesses one record: its features and targets, or undefined when it
   * is a bad sample (reported). Targets encoded per epoch (sequences) are
   * encoded here: in training batches (`augment`) with an rng seeded by the
   * sample, target and epoch, otherwise deterministically.
   */
  async processRecord(record: SampleRecord, options: { epoch?: number; augment?: boolean; seed?: number } = {}): Promise<ProcessedSample | undefined> {
    const { epoch = 0, seed = this.spec.seed ?? 0, augment: training = false } = options;
    const sample = await this.processFeatures(record, { epoch, seed, augment: training });
    const perEpoch = Object.entries(this.targets).filter(([, t]) => t.perEpoch);
    if (!sample || perEpoch.length === 0) return sample;
    const targets = { ...sample.targets };
    for (const [name, target] of perEpoch) {
      const rng = new SeededRandom(deriveSeed(seed, `${record.id}:${record.line}:target:${name}:${epoch}`));
      const encoded = await target.encode(record.references?.[name], { training, rng });
      if (typeof encoded === 'string') {
        this.report({ source: this.source, line: record.line, id: record.id, field: this.spec.labels?.[name]?.field ?? name, message: encoded });
        return undefined;
      }
      targets[name] = encoded;
    }
    return { ...sample, targets };
  }

  /** The record's preprocessed features and read-time targets (cached in memory when nothing augments). */
  private async processFeatures(record: SampleRecord, options: { epoch: number; augment: boolean; seed: number }): Promise<ProcessedSample | undefined> {
    const { epoch, seed } = options;
    // Training batches of preprocessors that do not augment equal evaluation ones, so they are cached alike.
    const augment = options.augment && Object.values(this.preprocessors).some((p) => p.augments !== false);
    const memoryKey = memoryKeyOf(record);
    if (!augment && this.memory.has(memoryKey)) return this.memory.get(memoryKey) ?? undefined;
    const features: ProcessedSample['features'] = {};
    try {
      for (const [m, p] of Object.entries(this.preprocessors)) {
        const value = record.fields[m];
        features[m] = value === undefined ? undefined : await this.processValue(m, p, value, record, { epoch, augment, seed });
      }
    } catch (error) {
      const field = (error as { field?: string }).field;
      this.report({ source: this.source, line: record.line, id: record.id, field, message: (error as Error).message });
      if (this.spec.cacheInMemory && !augment) this.memory.set(memoryKey, null);
      return undefined;
    }
    const sample: ProcessedSample = { id: record.id, features, targets: record.targets, ...(record.references ? { references: record.references } : {}) };
    if (this.spec.cacheInMemory && !augment) this.memory.set(memoryKey, sample);
    return sample;
  }

  private async processValue(
    modality: string,
    p: Preprocessor,
    value: unknown,
    record: SampleRecord,
    { epoch, augment: training, seed }: { epoch: number; augment: boolean; seed: number },
  ): Promise<Float32Array | Int32Array> {
    const augment = training && p.augments !== false;
    const field = this.spec.modalities[modality].field ?? modality;
    const type = this.spec.modalities[modality].type ?? 'file';
    const fail = (message: string): never => {
      throw Object.assign(new InputError(message), { field });
    };
    let cacheKey: string | undefined;
    if (type === 'file') {
      const file = path.resolve(this.baseDir, value as string);
      try {
        await fs.access(file);
      } catch {
        fail(`file ${file} does not exist or cannot be read.`);
      }
      if (this.cache && !augment) {
        const name = this.spec.modalities[modality].preprocessor.name;
        cacheKey = FeatureCache.key([name, p.config, p.getState?.() ?? null], { file: await this.cache.hashFile(file) });
      }
    } else if (this.cache && !augment) {
      cacheKey = FeatureCache.key([this.spec.modalities[modality].preprocessor.name, p.config, p.getState?.() ?? null], { value });
    }
    if (cacheKey) {
      const hit = await this.cache!.get(cacheKey);
      if (hit) return hit;
    }
    let values: Float32Array | Int32Array;
    try {
      values = await p.process(value, {
        baseDir: this.baseDir,
        training: augment,
        rng: new SeededRandom(deriveSeed(seed, `${record.id}:${record.line}:${modality}:${augment ? epoch : 'eval'}`)),
      });
    } catch (error) {
      return fail((error as Error).message);
    }
    for (let i = 0; i < values.length; i++) {
      if (!Number.isFinite(values[i])) fail(`the preprocessor produced a non-finite value (${values[i]}) at index ${i}.`);
    }
    if (cacheKey) await this.cache!.set(cacheKey, values);
    return values;
  }

  private report(issue: SampleIssue): void {
    if (this.spec.onBadSample === 'error') throw new InputError(`Bad sample: ${formatIssue(issue)}`);
    const key = `${issue.line}:${issue.field ?? ''}:${issue.message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.issues.push(issue);
    this.onIssue?.(issue);
  }

  private async *epochBatches(
    records: SampleRecord[],
    order: number[],
    o: { batchSize: number; batchCount: number; skip: number; epoch: number; augment: boolean; seed: number },
  ): AsyncGenerator<LoadedBatch> {
    const items: { batch: number; record: SampleRecord }[] = [];
    for (let b = o.skip; b < o.batchCount; b++) {
      for (const i of order.slice(b * o.batchSize, (b + 1) * o.batchSize)) items.push({ batch: b, record: records[i] });
    }
    const features = this.features;
    const labelTypes: Record<string, TargetLayout> = Object.fromEntries(
      Object.entries(this.targets).map(([n, t]) => [n, { shape: t.shape, dtype: t.dtype, padValue: t.padValue }]),
    );
    let current = -1;
    let pending: ProcessedSample[] = [];
    const flush = (): LoadedBatch | undefined => {
      if (pending.length === 0) return undefined;
      const batch = { ...collateBatch(pending, features, labelTypes), index: current };
      pending = [];
      return batch;
    };
    const processed = orderedMap(
      items,
      async (item) => ({ batch: item.batch, sample: await this.processRecord(item.record, o) }),
      Math.max(1, this.spec.concurrency ?? 8),
    );
    for await (const { batch, sample } of processed) {
      if (batch !== current) {
        const done = flush();
        if (done) yield done;
        current = batch;
      }
      if (sample) pending.push(sample);
    }
    const last = flush();
    if (last) yield last;
  }
}

/** A sample's key in the in-memory cache: its manifest line and id. */
function memoryKeyOf(record: SampleRecord): string {
  return `${record.line}:${record.id}`;
}
