import { tf, ConfigError, InputError, SeededRandom, deriveSeed, withSeed, type Batch, type MultimodalModel } from '@polyfuse/core';
import type { Optimizer, VariableUpdate } from '../optimizers/optimizer.js';
import type { LearningRateSchedule } from '../schedules/learningRateSchedule.js';
import type { WeightingStrategy, WeightingContext } from '@polyfuse/losses';
import { FixedWeighting } from '../weighting/fixedWeighting.js';
import type { TrainingMetric } from '../metrics/trainingMetric.js';
import type { Callback, EpochLog, FitResult, StepLog } from '../callbacks/callback.js';
import { clipGradientsByNorm, clipGradientsByValue } from '../gradients/clipGradients.js';
import { decodeCheckpoint, encodeCheckpoint, type CheckpointFiles } from '../checkpoint/checkpointFiles.js';
import { resolveTerm, type LossTerm } from './lossTerm.js';
import { termFunctions } from '../tasks/termFunctions.js';
import type { BatchSource } from './batchSource.js';
import type { ModalityDropout } from './modalityDropout.js';
import { evaluateModel } from './evaluate.js';
import type { ReplicaGroup } from '../parallel/replicaGroup.js';
import { allReduceGradients } from '../parallel/allReduceGradients.js';

export interface TrainerOptions {
  model: MultimodalModel;
  /** Loss terms; several heads (`logits`, `logits_<modality>`) may each have one or more. */
  losses: LossTerm[];
  optimizer: Optimizer;
  /** How terms combine into gradients (@polyfuse/losses strategies). Default: their sum. */
  weighting?: WeightingStrategy;
  schedule?: LearningRateSchedule;
  /** torch-style clipping: `value` first (clip_grad_value_), then `norm` (clip_grad_norm_). */
  clipGradients?: { norm?: number; value?: number };
  /** Learning-rate multiplier per module (`encoder:image`, `fusion`, `head`, `head:<m>`), e.g. `{ 'encoder:image': 0.1 }`. */
  moduleLearningRates?: Record<string, number>;
  /** Modules frozen from the start (transfer learning); `unfreeze` them later from a callback. */
  frozen?: string[];
  /** Validation metrics (`metric/<name>` entries). */
  metrics?: TrainingMetric[];
  /** Text of token ids per sequence target, for metrics on generated text (BLEU, CIDEr-D, ...). */
  detokenize?: Record<string, (ids: number[]) => string>;
  callbacks?: Callback[];
  /** Changes training masks per step (modality dropout). */
  modalityDropout?: ModalityDropout;
  /** Seed of dropout, modality dropout and anything random in a step. Default 0. */
  seed?: number;
  /**
   * Data-parallel training: this trainer is one replica of the group (see
   * `runReplicas` in @polyfuse/trainer/node). Each replica builds the same
   * model, reads the same batches and trains on its rows of each; gradients
   * and logged losses are averaged across replicas before every step, so all
   * replicas keep identical weights. Replica 0 validates and decides when to
   * stop; give callbacks (logs, checkpoints) to replica 0 only.
   */
  replicas?: ReplicaGroup;
}

/** Where a run is; saved in checkpoints. */
export interface TrainerState {
  /** Epoch in progress (0-based); equals the number of completed epochs between epochs. */
  epoch: number;
  /** Optimizer steps taken. */
  step: number;
  /** Batches done in the epoch in progress (non-zero only when interrupted mid-epoch). */
  batchInEpoch: number;
  /** Running sums for the epoch in progress, so a resumed epoch logs the same means. */
  epochSums: Record<string, number>;
  epochBatches: number;
  /** Learning rate of the latest step. */
  lastLearningRate?: number;
  frozen: string[];
  history: EpochLog[];
}

const formatVersion = 1;

/**
 * The training loop. Each step computes the loss terms on the batch, asks the
 * weighting strategy for gradients (`tf.variableGrads` per its needs), clips
 * them, and applies them with the optimizer at the scheduled learning rate.
 * Each forward pass runs inside `withSeed(deriveSeed(seed, 'step:<n>'))`, so
 * dropout is reproducible and identical across the forward passes of one step,
 * and batch-norm moving statistics move once per step however many passes the
 * strategy runs; same seed and data, same weights and metrics. After an epoch it validates,
 * logs, and lets callbacks checkpoint or stop.
 *
 * `checkpoint()` captures everything needed to continue bit-for-bit: weights,
 * optimizer slots, schedule/weighting/callback states and the position in the
 * epoch (batch order is a function of the epoch, so skipping done batches
 * reproduces it).
 */
export class Trainer {
  readonly model: MultimodalModel;
  readonly losses: LossTerm[];
  readonly optimizer: Optimizer;
  readonly weighting: WeightingStrategy;
  readonly schedule?: LearningRateSchedule;
  readonly metrics: TrainingMetric[];
  readonly callbacks: Callback[];
  readonly seed: number;
  state: TrainerState;
  private readonly options: TrainerOptions;
  private readonly variableKeys: Map<string, string>;
  private stopReason?: string;
  private stepsPerEpoch = 1;
  private lastWeights: Record<string, number> = {};

  constructor(options: TrainerOptions) {
    if (!options.model) throw new ConfigError('Trainer: options.model is required.');
    if (!Array.isArray(options.losses) || options.losses.length === 0) throw new ConfigError('Trainer: options.losses needs at least one loss term.');
    const names = new Set<string>();
    for (const term of options.losses) {
      if (!term.name || names.has(term.name)) throw new ConfigError(`Trainer: loss term names must be unique and non-empty, got '${term.name}'.`);
      names.add(term.name);
      for (const output of resolveTerm(term, options.model.modalities).outputs) {
        if (!options.model.outputNames.includes(output)) {
          throw new ConfigError(`losses.${term.name}.output '${output}' is not a model output. Outputs: ${options.model.outputNames.join(', ')}.`);
        }
      }
    }
    for (const module of [...Object.keys(options.moduleLearningRates ?? {}), ...(options.frozen ?? [])]) {
      if (!options.model.metadata.modules[module]) {
        throw new ConfigError(`Unknown module '${module}'. The model's modules are: ${Object.keys(options.model.metadata.modules).join(', ')}.`);
      }
    }
    this.options = options;
    this.model = options.model;
    this.losses = options.losses;
    this.optimizer = options.optimizer;
    this.weighting = options.weighting ?? new FixedWeighting();
    this.schedule = options.schedule;
    this.metrics = options.metrics ?? [];
    this.callbacks = options.callbacks ?? [];
    this.seed = options.seed ?? 0;
    this.state = { epoch: 0, step: 0, batchInEpoch: 0, epochSums: {}, epochBatches: 0, frozen: [], history: [] };
    // Optimizer state is keyed by each weight's position in the model (the same for the same architecture in any
    // process), and a strategy's own variables by their position in its list (they may be created on the first step).
    this.variableKeys = new Map();
    let position = 0;
    for (const layer of this.model.model.layers) {
      for (const weight of layer.weights) this.variableKeys.set((weight.read() as tf.Variable).name, `model/${position++}`);
    }
    if (options.frozen?.length) this.freeze(options.frozen);
  }

  /** Stops trainable updates to some modules (`encoder:image`, ...). */
  freeze(modules: string[]): void {
    this.model.setTrainable(modules, false);
    this.state.frozen = [...new Set([...this.state.frozen, ...modules])];
  }

  unfreeze(modules: string[]): void {
    this.model.setTrainable(modules, true);
    this.state.frozen = this.state.frozen.filter((m) => !modules.includes(m));
  }

  /** Frees the optimizer's state tensors. The model stays (it is the caller's). */
  dispose(): void {
    this.optimizer.dispose();
  }

  /** Asks the loop to stop after the current epoch (early stopping). */
  stop(reason: string): void {
    this.stopReason = reason;
  }

  /**
   * Trains until `epochs` epochs are complete (counting epochs done before a
   * resume). With `signal`, an abort ends the run after the current step:
   * callbacks' `onInterrupt` saves a checkpoint and the result says `interrupted`.
   */
  async fit(train: BatchSource, options: { epochs: number; validation?: BatchSource; signal?: AbortSignal }): Promise<FitResult> {
    if (!Number.isInteger(options.epochs) || options.epochs < 1) throw new ConfigError(`epochs must be an integer >= 1, got ${options.epochs}.`);
    this.stepsPerEpoch = train.batchCount ?? 1;
    this.stopReason = undefined;
    // Replicas start from replica 0's weights, whatever their own initialisers drew.
    if (this.group) this.copyFromReplica0(this.model.model.weights.map((w) => w.read() as tf.Variable));
    for (const c of this.callbacks) await c.onTrainBegin?.(this);
    let interrupted = false;
    while (this.state.epoch < options.epochs && !this.stopReason) {
      if (this.agreeOnFlag(options.signal?.aborted === true)) {
        interrupted = true;
        break;
      }
      const epoch = this.state.epoch;
      const started = Date.now();
      if (this.state.batchInEpoch === 0) for (const c of this.callbacks) await c.onEpochBegin?.(epoch, this);
      for await (const batch of train.batches(epoch, { skip: this.state.batchInEpoch })) {
        let log!: StepLog;
        try {
          log = this.trainStep(batch, epoch);
        } finally {
          tf.dispose([...Object.values(batch.inputs), ...Object.values(batch.mask), ...Object.values(batch.targets)]);
        }
        for (const c of this.callbacks) await c.onStepEnd?.(log, this);
        if (this.agreeOnFlag(options.signal?.aborted === true)) {
          interrupted = true;
          break;
        }
      }
      if (interrupted) break;
      if (this.state.epochBatches === 0) throw new InputError(`Epoch ${epoch}: the training data yielded no batches (is the train split empty, or was every sample bad?).`);
      const values: Record<string, number> = {};
      for (const [key, sum] of Object.entries(this.state.epochSums)) values[key] = sum / this.state.epochBatches;
      // The rate the epoch ended at, not its mean, is what the next epoch continues from.
      if (this.state.epochSums.lr !== undefined) values.lr = this.state.lastLearningRate ?? values.lr;
      const epochLosses = Object.fromEntries(this.losses.map((t) => [t.name, values[`loss.${t.name}`]]));
      this.weighting.endEpoch?.(epochLosses);
      // With replicas, replica 0's data decides: the others need no validation source.
      const validates = this.group ? this.group.broadcast(options.validation !== undefined) : options.validation !== undefined;
      if (validates) Object.assign(values, await this.validate(options.validation, epoch));
      this.schedule?.onEpochEnd?.(values, epoch);
      const log: EpochLog = { type: 'epoch', epoch, step: this.state.step, values, seconds: (Date.now() - started) / 1000 };
      this.state = { ...this.state, epoch: epoch + 1, batchInEpoch: 0, epochSums: {}, epochBatches: 0, history: [...this.state.history, log] };
      for (const c of this.callbacks) await c.onEpochEnd?.(log, this);
      if (this.group) this.stopReason = this.group.broadcast(this.stopReason ?? null) ?? undefined;
    }
    const result: FitResult = {
      epochs: this.state.epoch,
      steps: this.state.step,
      interrupted,
      stoppedEarly: this.stopReason,
      history: this.state.history,
    };
    if (interrupted) for (const c of this.callbacks) await c.onInterrupt?.(this);
    for (const c of this.callbacks) await c.onTrainEnd?.(result, this);
    return result;
  }

  /** The data-parallel group, when there is more than one replica. */
  private get group(): ReplicaGroup | undefined {
    const group = this.options.replicas;
    return group && group.size > 1 ? group : undefined;
  }

  /** Assigns replica 0's values of `variables` on every replica (a reduce in which only replica 0 has weight). */
  private copyFromReplica0(variables: tf.Variable[]): void {
    const group = this.group!;
    const layout = { names: variables.map((v) => v.name), shapes: Object.fromEntries(variables.map((v) => [v.name, v.shape])) };
    const values = Object.fromEntries(variables.map((v) => [v.name, v as tf.Tensor]));
    const { grads: copied } = allReduceGradients(group, values, layout, group.rank === 0 ? 1 : 0);
    variables.forEach((v) => v.assign(copied[v.name]!));
    tf.dispose(Object.values(copied));
  }

  /** Replica 0's flag on every replica (Ctrl-C reaches replica 0; all must stop at the same step). */
  private agreeOnFlag(flag: boolean): boolean {
    return this.group ? this.group.broadcast(flag) : flag;
  }

  /** Validation metrics; with replicas, replica 0 computes them and the others receive them, so all decide alike. */
  private async validate(source: BatchSource | undefined, epoch: number): Promise<Record<string, number>> {
    if (!this.group) return this.evaluate(source!, { epoch, prefix: 'val.' });
    let values: Record<string, number> | null = null;
    let failure: string | null = null;
    if (this.group.rank === 0) {
      try {
        values = await this.evaluate(source!, { epoch, prefix: 'val.' });
      } catch (error) {
        failure = (error as Error).message;
        this.group.broadcast({ values, failure });
        throw error;
      }
    }
    const shared = this.group.broadcast({ values, failure });
    if (shared.failure) throw new InputError(`Replica 0 failed to validate: ${shared.failure}`);
    return shared.values!;
  }

  /** Mean loss per term (`<prefix>loss.<term>`, `<prefix>loss.total`) and each metric (`<prefix><metric>`) over a source, without training. */
  async evaluate(source: BatchSource, options: { epoch?: number; prefix?: string } = {}): Promise<Record<string, number>> {
    const weights = Object.keys(this.lastWeights).length ? this.lastWeights : Object.fromEntries(this.losses.map((t) => [t.name, 1]));
    return evaluateModel(this.model, source, {
      losses: this.losses,
      metrics: this.metrics,
      weights,
      epoch: options.epoch ?? 0,
      prefix: options.prefix ?? '',
      ...(this.options.detokenize ? { detokenize: this.options.detokenize } : {}),
    });
  }

  /** Everything needed to continue this run exactly, as files (see `saveCheckpoint` in @polyfuse/trainer/node). */
  async checkpoint(): Promise<CheckpointFiles> {
    const trainerState = {
      format: 'polyfuse-checkpoint',
      version: formatVersion,
      seed: this.seed,
      state: this.state,
      lastWeights: this.lastWeights,
      weighting: { name: this.weighting.name, state: this.weighting.getState() },
      weightingVariables: this.weighting.variables.map((v) => Array.from(v.dataSync())),
      schedule: this.schedule?.getState?.(),
      callbacks: Object.fromEntries(this.callbacks.filter((c) => c.getState).map((c) => [c.name, c.getState!()])),
    };
    return encodeCheckpoint(this.model, this.optimizer.getState(), trainerState);
  }

  /** Continues from a checkpoint written by `checkpoint()` for the same architecture and settings. */
  async restore(files: CheckpointFiles, source = 'checkpoint'): Promise<void> {
    const { optimizer, trainer } = await decodeCheckpoint(files, this.model, source);
    try {
      this.optimizer.setState(optimizer);
    } finally {
      tf.dispose(Object.values(optimizer.slots));
    }
    const saved = trainer as {
      format?: string;
      version?: number;
      state: TrainerState;
      lastWeights: Record<string, number>;
      weighting: { name: string; state: unknown };
      weightingVariables: number[][];
      schedule?: unknown;
      callbacks: Record<string, unknown>;
    };
    if (saved.format !== 'polyfuse-checkpoint' || saved.version !== formatVersion) {
      throw new InputError(`${source}/trainer.json is not a polyfuse checkpoint (version ${formatVersion}).`);
    }
    if (saved.weighting.name !== this.weighting.name) {
      throw new ConfigError(`${source} was trained with weighting '${saved.weighting.name}' but this trainer uses '${this.weighting.name}'.`);
    }
    this.weighting.setState(saved.weighting.state);
    tf.tidy(() => this.weighting.variables.forEach((v, i) => saved.weightingVariables[i] && v.assign(tf.tensor(saved.weightingVariables[i], v.shape, v.dtype))));
    if (saved.schedule !== undefined) this.schedule?.setState?.(saved.schedule);
    for (const c of this.callbacks) if (c.setState && saved.callbacks[c.name] !== undefined) c.setState(saved.callbacks[c.name]);
    this.unfreeze(this.state.frozen);
    this.state = { ...saved.state, frozen: [] };
    this.freeze(saved.state.frozen);
    this.lastWeights = saved.lastWeights;
  }

  /** One optimizer step on one batch; returns its log. The batch's tensors are not disposed here. */
  trainStep(fullBatch: Batch, epoch: number): StepLog {
    const step = this.state.step;
    const group = this.group;
    // Replicas draw different dropout masks for their rows, as one replica would for the whole batch.
    const stepSeed = deriveSeed(this.seed, group ? `step:${step}:replica:${group.rank}` : `step:${step}`);
    const learningRate = this.schedule
      ? this.schedule.learningRate(this.optimizer.baseLearningRate, { step, epoch, stepsPerEpoch: this.stepsPerEpoch })
      : this.optimizer.baseLearningRate;
    this.optimizer.learningRate = learningRate;

    // Modality dropout is drawn for the whole batch before sharding, so replicas see the same masks one replica would.
    const fullMasks = this.options.modalityDropout
      ? tf.tidy(() => this.options.modalityDropout!(fullBatch.mask, { rng: new SeededRandom(deriveSeed(this.seed, `modality-dropout:${step}`)), step, epoch, training: true }))
      : fullBatch.mask;
    const rows = group ? group.shard(batchRows(fullBatch)) : undefined;
    const batch = rows ? sliceBatch(fullBatch, rows.start, rows.end) : fullBatch;
    const masks = rows ? sliceTensors(fullMasks, rows.start, rows.end) : fullMasks;
    const values: Record<string, number> = {};
    let rowIndices: tf.Tensor[] = [];
    // A training pass also moves the batch-norm moving statistics. Every pass of a step sees the same batch and
    // weights, so the statistics after the first pass are kept and later passes (per-term gradients, OGM-GE's
    // modality scores) put them back: they move once per step, whatever the weighting strategy.
    const movingStatistics = this.model.model.layers.filter((l) => l.trainable).flatMap((l) => l.nonTrainableWeights.map((w) => w.read() as tf.Variable));
    const afterFirstPass: tf.Tensor[] = [];
    let passes = 0;
    try {
      // Terms differentiated on one gradient tape (the default sum, uncertainty weighting) share one forward pass:
      // the outputs are recorded on that tape once and every term reads them. A new tape (PCGrad's per-term
      // gradients) or outputs already disposed by a strategy's own tidy get a fresh pass, identical thanks to the seed.
      const onTape = new WeakMap<object, Record<string, tf.Tensor>>();
      const forward = (): Record<string, tf.Tensor> => {
        const tape = (tf.engine().state as unknown as { activeTape?: object | null }).activeTape;
        const cached = tape ? onTape.get(tape) : undefined;
        if (cached && !Object.values(cached).some((t) => t.isDisposed)) return cached;
        const outputs = withSeed(stepSeed, () => this.model.call({ inputs: batch.inputs, mask: masks, targets: batch.targets }, { training: true }));
        if (passes++ === 0) afterFirstPass.push(...movingStatistics.map((v) => tf.keep(v.clone())));
        else movingStatistics.forEach((v, i) => v.assign(afterFirstPass[i]));
        if (tape) onTape.set(tape, outputs);
        return outputs;
      };
      const { terms, transient } = termFunctions(this.losses, this.model.modalities, batch, masks, forward, rows ? { masks: fullMasks, rows: batchRows(fullBatch) } : undefined);
      rowIndices = transient;
      const variables = this.model.trainableVariables();
      if (variables.length === 0) throw new ConfigError('Every module is frozen: there is nothing to train.');
      const context = this.weightingContext(variables, batch, forward, epoch);
      let result: { losses: Record<string, number>; weights: Record<string, number>; total: number } | undefined;
      const emptyShard = rows !== undefined && rows.end === rows.start;
      let grads: Record<string, tf.Tensor> = emptyShard
        ? ((result = { losses: {}, weights: {}, total: 0 }), {})
        : tf.tidy(() => {
            const r = this.weighting.computeGradients(terms, context);
            result = r;
            return r.grads;
          });
      if (group && rows) {
        const shared = this.averageAcrossReplicas(group, grads, result!, variables, rows.end - rows.start);
        tf.dispose(Object.values(grads));
        grads = shared.grads;
        result = shared.result;
        // Strategies that adapt from what they saw (GradNorm, DWA) follow replica 0, so replicas never drift apart.
        this.weighting.setState(group.broadcast(this.weighting.getState()));
      }
      let applied: Record<string, tf.Tensor> = grads;
      const created: tf.Tensor[] = [];
      try {
        if (this.options.clipGradients?.value !== undefined) {
          applied = clipGradientsByValue(applied, this.options.clipGradients.value);
          created.push(...Object.values(applied));
        }
        if (this.options.clipGradients?.norm !== undefined) {
          const clipped = clipGradientsByNorm(applied, this.options.clipGradients.norm);
          applied = clipped.grads;
          created.push(...Object.values(applied));
          values.gradNorm = clipped.norm;
        }
        const updates: VariableUpdate[] = [];
        const owners = this.model.variableModules();
        const byName = new Map([...variables, ...this.weighting.variables].map((v) => [v.name, v]));
        for (const [name, gradient] of Object.entries(applied)) {
          const variable = byName.get(name);
          if (!variable || !gradient) continue;
          const strategyIndex = this.weighting.variables.indexOf(variable);
          const key = this.variableKeys.get(name) ?? (strategyIndex >= 0 ? `weighting/${strategyIndex}` : undefined);
          if (!key) throw new InputError(`The weighting strategy returned a gradient for '${name}', which is neither a model nor a strategy variable.`);
          const scale = this.options.moduleLearningRates?.[owners[name]] ?? 1;
          updates.push({ key, variable, gradient, learningRateScale: scale });
        }
        this.optimizer.apply(updates);
      } finally {
        tf.dispose([...Object.values(grads), ...created]);
      }
      const { losses, weights, total } = result!;
      for (const t of this.losses) {
        if (!Number.isFinite(losses[t.name])) {
          throw new InputError(`Loss term '${t.name}' is ${losses[t.name]} at step ${step} (epoch ${epoch}). Lower the learning rate, clip gradients, or check the data for extreme values.`);
        }
      }
      values['loss.total'] = total;
      for (const [name, v] of Object.entries(losses)) values[`loss.${name}`] = v;
      for (const [name, w] of Object.entries(weights)) values[`weight.${name}`] = w;
      values.lr = learningRate;
      this.lastWeights = { ...weights };
    } finally {
      if (fullMasks !== fullBatch.mask) tf.dispose(Object.values(fullMasks));
      if (rows) tf.dispose([...Object.values(masks), ...Object.values(batch.inputs), ...Object.values(batch.mask), ...Object.values(batch.targets)]);
      tf.dispose(rowIndices);
      tf.dispose(afterFirstPass);
    }
    for (const [key, v] of Object.entries(values)) this.state.epochSums[key] = (this.state.epochSums[key] ?? 0) + v;
    // Weights that training updates outside the optimizer (batch-norm statistics) follow replica 0, as in PyTorch's DDP.
    if (group) {
      const stateful = this.model.model.layers.filter((l) => l.trainable).flatMap((l) => l.nonTrainableWeights.map((w) => w.read() as tf.Variable));
      if (stateful.length > 0) this.copyFromReplica0(stateful);
    }
    this.state.lastLearningRate = learningRate;
    this.state.epochBatches++;
    this.state.batchInEpoch++;
    this.state.step++;
    return { type: 'step', epoch, step: this.state.step, batch: this.state.batchInEpoch - 1, values };
  }

  /**
   * Gradients, loss values and term weights averaged over the replicas,
   * weighted by their row counts: the same as one replica computing them on
   * the whole batch, up to float32 rounding (exactly, for a mean-reduced loss).
   */
  private averageAcrossReplicas(
    group: ReplicaGroup,
    grads: Record<string, tf.Tensor>,
    result: { losses: Record<string, number>; weights: Record<string, number>; total: number },
    variables: tf.Variable[],
    rows: number,
  ): { grads: Record<string, tf.Tensor>; result: { losses: Record<string, number>; weights: Record<string, number>; total: number } } {
    const all = [...variables, ...this.weighting.variables.filter((v) => !variables.includes(v))];
    const layout = { names: all.map((v) => v.name), shapes: Object.fromEntries(all.map((v) => [v.name, v.shape])) };
    const termNames = this.losses.map((t) => t.name);
    const scalars = [result.total, ...termNames.map((n) => result.losses[n] ?? 0), ...termNames.map((n) => result.weights[n] ?? 0)];
    // Which variables got a gradient travels too, so a replica with an empty shard does not add zeros for the others.
    const present = all.map((v) => (grads[v.name] ? 1 : 0));
    const reduced = allReduceGradients(group, grads, layout, rows, [...scalars, ...present]);
    const averaged: Record<string, tf.Tensor> = {};
    all.forEach((v, i) => {
      if (reduced.scalars[scalars.length + i]! > 0) averaged[v.name] = reduced.grads[v.name]!;
      else reduced.grads[v.name]!.dispose();
    });
    const [total, ...rest] = reduced.scalars;
    const losses = Object.fromEntries(termNames.map((n, i) => [n, rest[i]!]));
    const weights = Object.fromEntries(termNames.filter((n) => n in result.weights).map((n) => [n, rest[termNames.length + termNames.indexOf(n)]!]));
    return { grads: averaged, result: { losses, weights, total: total! } };
  }

  private weightingContext(variables: tf.Variable[], batch: Batch, forward: () => Record<string, tf.Tensor>, epoch: number): WeightingContext {
    const needs = new Set(this.weighting.needs ?? []);
    const context: WeightingContext = { variables, step: this.state.step, epoch };
    if (needs.has('sharedVariables')) {
      const shared = new Set(this.model.trainableVariables([...this.model.modalities.map((m) => `encoder:${m}`), 'fusion']).map((v) => v.name));
      context.sharedVariables = variables.filter((v) => shared.has(v.name));
    }
    if (needs.has('modalityVariables')) {
      context.modalityVariables = Object.fromEntries(this.model.modalities.map((m) => [m, this.model.trainableVariables([`encoder:${m}`])]));
    }
    if (needs.has('modalityScores')) {
      const target = resolveTerm(this.losses[0], this.model.modalities).target;
      context.modalityScores = tf.tidy(() => {
        const outputs = forward();
        const scores: Record<string, number> = {};
        for (const m of this.model.modalities) {
          const logits = outputs[`logits_${m}`];
          if (!logits) throw new ConfigError(`Weighting '${this.weighting.name}' needs per-modality scores, but the model has no auxiliary head output 'logits_${m}'. Add auxiliaryHeads to the model.`);
          const labels = batch.targets[target].toInt();
          const probabilities = tf.softmax(logits);
          const onehot = tf.oneHot(labels, logits.shape[1]!).toFloat();
          scores[m] = probabilities.mul(onehot).sum().dataSync()[0];
        }
        return scores;
      });
    }
    return context;
  }
}

/** Rows in a batch (its first input's leading dimension). */
function batchRows(batch: Batch): number {
  const first = Object.values(batch.inputs)[0] ?? Object.values(batch.targets)[0];
  if (!first) throw new InputError('A batch has no inputs and no targets.');
  return first.shape[0]!;
}

function sliceTensors(tensors: Record<string, tf.Tensor>, start: number, end: number): Record<string, tf.Tensor> {
  return Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.slice(start, end - start)]));
}

/** Rows [start, end) of a batch: this replica's shard. */
function sliceBatch(batch: Batch, start: number, end: number): Batch {
  return {
    inputs: sliceTensors(batch.inputs, start, end),
    mask: sliceTensors(batch.mask, start, end),
    targets: sliceTensors(batch.targets, start, end),
    ids: batch.ids.slice(start, end),
    ...(batch.references ? { references: Object.fromEntries(Object.entries(batch.references).map(([k, r]) => [k, r.slice(start, end)])) } : {}),
  };
}
