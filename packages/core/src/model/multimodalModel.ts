import { tf } from '../tf.js';
import { InputError, formatShape } from '../errors/errors.js';
import type { Encoder } from '../contracts/encoder.js';
import type { Fusion } from '../contracts/fusion.js';
import type { DecoderHead, Head } from '../contracts/head.js';
import type { TargetInfo } from '../contracts/target.js';
import { maskInputName, auxiliaryOutputName, mainOutputName } from './names.js';
import { wireNamedHeads } from '../heads/wireNamedHeads.js';
import type { NamedHeadInfo, NamedHeadSpec } from '../heads/namedHead.js';
import { restoreDecoders } from '../heads/restoreDecoders.js';

/** The parts a multimodal model is made of. */
export interface MultimodalParts {
  /** One encoder per modality, keyed by modality name. */
  encoders: Record<string, Encoder>;
  /** Absent in models whose heads all read a modality's own embedding (a dual encoder). */
  fusion?: Fusion;
  /** The classification head on the fused embedding (output `logits`); optional when `heads` are given. */
  head?: Head;
  /**
   * Optional unimodal heads, one per modality, on that modality's embedding.
   * Their outputs (`logits_<modality>`) feed auxiliary losses and modality
   * balancing (OGM-GE); they are not part of the fused prediction.
   */
  auxiliaryHeads?: Record<string, Head>;
  /**
   * Named heads built from the registry (`model.heads`), each predicting one
   * fitted target; see docs/tasks.md for their outputs.
   */
  heads?: { specs: Record<string, NamedHeadSpec>; targets: Record<string, TargetInfo> };
}

/** Everything needed to rebuild or describe a model, saved as polyfuse.json. */
export interface MultimodalMetadata {
  format: 'polyfuse-model';
  version: 1;
  modalities: string[];
  inputShapes: Record<string, number[]>;
  inputDtypes: Record<string, 'float32' | 'int32'>;
  outputNames: string[];
  /** Layer names of each module (`encoder:image`, `fusion`, `head`, `head:image`). */
  modules: Record<string, string[]>;
  /** The registry spec it was built from, when it was built from one. */
  spec?: unknown;
  /** Named heads: which target each predicts, from which input, into which outputs. */
  heads?: Record<string, NamedHeadInfo>;
  /** The fitted targets the named heads were sized from. */
  targets?: Record<string, TargetInfo>;
  /** Extra int32 inputs after the masks: teacher-forced tokens of decoder heads, in order. */
  tokenInputs?: string[];
}

/** A batch as data loaders produce it. */
export interface ModelInputs {
  /** `[B, ...inputShape]` per modality. */
  inputs: Record<string, tf.Tensor>;
  /** `[B]` presence per modality, 1 present, 0 absent; all present when omitted. */
  mask?: Record<string, tf.Tensor>;
  /**
   * Targets, for decoder heads: a `[B, L]` sequence target is fed shifted
   * (`target[:, :-1]`) as teacher-forced tokens. Without it a decoder reads
   * only bos, and its `tokens_*` output is not meaningful (use `generate`).
   */
  targets?: Record<string, tf.Tensor>;
}

/**
 * A multimodal model: an encoder per modality, a fusion, a head, and optional
 * unimodal heads, wired into one tf.LayersModel whose inputs are the
 * modalities followed by their presence masks (`mask_<modality>`).
 *
 * Because it is a standard LayersModel it saves in TF.js's own format and
 * loads in a browser with `tf.loadLayersModel` (custom layers registered by
 * importing the package that defines them). In memory the mask inputs are
 * `[B]`; saved, they are `[B, 1]` so that plain `predict` feeds them.
 */
export class MultimodalModel {
  readonly model: tf.LayersModel;
  readonly metadata: MultimodalMetadata;
  private decoderHeads?: Record<string, DecoderHead>;

  constructor(model: tf.LayersModel, metadata: MultimodalMetadata, decoders?: Record<string, DecoderHead>) {
    this.model = model;
    this.metadata = metadata;
    this.decoderHeads = decoders;
  }

  /** The decoder of each sequence head (rebuilt on the loaded layers after loading). */
  get decoders(): Record<string, DecoderHead> {
    this.decoderHeads ??= restoreDecoders(this.model, this.metadata);
    return this.decoderHeads;
  }

  /** Wires parts into a LayersModel. Build inside `withSeed` for reproducible weights. */
  static fromParts(parts: MultimodalParts, options: { name?: string; spec?: unknown } = {}): MultimodalModel {
    const modalities = Object.keys(parts.encoders);
    if (modalities.length === 0) throw new InputError('A multimodal model needs at least one encoder.');
    if (!parts.head && !parts.heads) throw new InputError('A multimodal model needs a head or named heads.');
    if (parts.head && !parts.fusion) throw new InputError('The main head reads the fused embedding: give a fusion too.');
    for (const m of parts.fusion?.modalities ?? []) {
      if (!parts.encoders[m]) {
        throw new InputError(`The fusion expects modality '${m}' but no encoder was given for it (encoders: ${modalities.join(', ')}).`);
      }
    }
    const inputs: Record<string, tf.SymbolicTensor> = {};
    const masks: Record<string, tf.SymbolicTensor> = {};
    const embeddings: Record<string, tf.SymbolicTensor> = {};
    const paddingMasks: Record<string, tf.SymbolicTensor> = {};
    for (const m of modalities) {
      const encoder = parts.encoders[m];
      inputs[m] = tf.input({ shape: encoder.inputShape, dtype: encoder.inputDtype, name: m });
      masks[m] = tf.input({ shape: [], name: maskInputName(m) });
    }
    for (const m of modalities) {
      const encoder = parts.encoders[m];
      embeddings[m] = encoder.apply(inputs[m]);
      if (encoder.outputShape.length === 2 && encoder.paddingMask) paddingMasks[m] = encoder.paddingMask(inputs[m]);
    }
    const fused = parts.fusion?.apply(embeddings, masks, paddingMasks);
    const outputs: tf.SymbolicTensor[] = [];
    const outputNames: string[] = [];
    if (parts.head) {
      outputs.push(parts.head.apply(fused!));
      outputNames.push(mainOutputName);
    }
    const auxiliaryStart = outputs.length;
    for (const [m, head] of Object.entries(parts.auxiliaryHeads ?? {})) {
      if (!embeddings[m]) throw new InputError(`auxiliaryHeads.${m}: no encoder for modality '${m}'.`);
      outputs.push(head.apply(embeddings[m]));
      outputNames.push(auxiliaryOutputName(m));
    }
    const named = parts.heads ? wireNamedHeads(parts.heads.specs, parts.heads.targets, { ...(fused ? { fused } : {}), embeddings, paddingMasks }) : undefined;
    for (const { name, tensor } of named?.outputs ?? []) {
      if (outputNames.includes(name)) throw new InputError(`Two heads produce an output named '${name}'; rename one of them.`);
      outputs.push(tensor);
      outputNames.push(name);
    }
    const tokenInputs = named?.inputs ?? [];
    const orderedInputs = [...modalities.map((m) => inputs[m]), ...modalities.map((m) => masks[m]), ...tokenInputs];
    const model = tf.model({ inputs: orderedInputs, outputs, name: options.name ?? 'polyfuse_model' });

    const inputLayers = new Set(orderedInputs.map((t) => t.sourceLayer.name));
    const encoderLayers = new Set<string>();
    const modules: Record<string, string[]> = {};
    for (const m of modalities) {
      modules[`encoder:${m}`] = ancestorLayers([embeddings[m], ...(paddingMasks[m] ? [paddingMasks[m]] : [])], inputLayers, new Set());
      modules[`encoder:${m}`].forEach((n) => encoderLayers.add(n));
    }
    const claimed = new Set(encoderLayers);
    if (fused) {
      modules.fusion = ancestorLayers([fused], inputLayers, encoderLayers);
      modules.fusion.forEach((n) => claimed.add(n));
    }
    if (parts.head) modules.head = ancestorLayers([outputs[0]], inputLayers, claimed);
    outputNames.slice(auxiliaryStart, auxiliaryStart + Object.keys(parts.auxiliaryHeads ?? {}).length).forEach((name, i) => {
      modules[`head:${name.slice(mainOutputName.length + 1)}`] = ancestorLayers([outputs[auxiliaryStart + i]], inputLayers, claimed);
    });
    for (const [head, info] of Object.entries(named?.infos ?? {})) {
      const module = `head:${head}`;
      if (modules[module]) throw new InputError(`model.heads.${head}: the name is taken by an auxiliary head of modality '${head}'; rename the head.`);
      modules[module] = ancestorLayers(info.outputs.map((o) => outputs[outputNames.indexOf(o)]!), inputLayers, claimed);
    }

    return new MultimodalModel(
      model,
      {
        format: 'polyfuse-model',
        version: 1,
        modalities,
        inputShapes: Object.fromEntries(modalities.map((m) => [m, parts.encoders[m].inputShape])),
        inputDtypes: Object.fromEntries(modalities.map((m) => [m, parts.encoders[m].inputDtype])),
        outputNames,
        modules,
        spec: options.spec,
        ...(named ? { heads: named.infos, targets: parts.heads!.targets, tokenInputs: tokenInputs.map((t) => t.sourceLayer.name) } : {}),
      },
      named?.decoders ?? {},
    );
  }

  get modalities(): string[] {
    return this.metadata.modalities;
  }

  get outputNames(): string[] {
    return this.metadata.outputNames;
  }

  /**
   * Runs the model. Missing masks mean "present". Returns one tensor per output
   * name (`logits`, and `logits_<modality>` for auxiliary heads).
   */
  call(batch: ModelInputs, options: { training?: boolean } = {}): Record<string, tf.Tensor> {
    const { ordered, created } = this.orderInputs(batch);
    let result: tf.Tensor | tf.Tensor[];
    try {
      result = this.model.apply(ordered, { training: options.training ?? false }) as tf.Tensor | tf.Tensor[];
    } finally {
      tf.dispose(created);
    }
    const list = Array.isArray(result) ? result : [result];
    return Object.fromEntries(this.outputNames.map((name, i) => [name, list[i]]));
  }

  /** The main output (`logits`, else the first output) in inference mode. */
  predict(batch: ModelInputs): tf.Tensor {
    const outputs = this.call(batch, { training: false });
    const mainName = this.outputNames.includes(mainOutputName) ? mainOutputName : this.outputNames[0]!;
    const { [mainName]: main, ...rest } = outputs;
    tf.dispose(Object.values(rest));
    return main;
  }

  /** Trainable variables, optionally only those of some modules (`encoder:image`, `fusion`, `head`). */
  trainableVariables(modules?: string[]): tf.Variable[] {
    const wanted = modules ? new Set(modules.flatMap((m) => this.metadata.modules[m] ?? [])) : undefined;
    const variables: tf.Variable[] = [];
    for (const layer of this.model.layers) {
      if (wanted && !wanted.has(layer.name)) continue;
      for (const weight of layer.trainableWeights) variables.push(weight.read() as tf.Variable);
    }
    return variables;
  }

  /** Module name of each trainable variable, keyed by the variable's name. */
  variableModules(): Record<string, string> {
    const owner: Record<string, string> = {};
    for (const [module, layerNames] of Object.entries(this.metadata.modules)) {
      for (const layerName of layerNames) owner[layerName] = module;
    }
    const out: Record<string, string> = {};
    for (const layer of this.model.layers) {
      for (const weight of layer.trainableWeights) out[(weight.read() as tf.Variable).name] = owner[layer.name] ?? 'other';
    }
    return out;
  }

  /** Freezes or unfreezes the layers of some modules (for transfer learning). */
  setTrainable(modules: string[], trainable: boolean): void {
    const names = new Set(modules.flatMap((m) => this.metadata.modules[m] ?? []));
    for (const layer of this.model.layers) if (names.has(layer.name)) layer.trainable = trainable;
  }

  /** Parameter count per module and in total. */
  parameterCounts(): Record<string, number> & { total: number } {
    const byLayer = new Map(this.model.layers.map((l) => [l.name, l.countParams()]));
    const counts: Record<string, number> = {};
    for (const [module, layerNames] of Object.entries(this.metadata.modules)) {
      counts[module] = layerNames.reduce((sum, n) => sum + (byLayer.get(n) ?? 0), 0);
    }
    return { ...counts, total: this.model.countParams() };
  }

  dispose(): void {
    this.model.dispose();
  }

  private orderInputs(batch: ModelInputs): { ordered: tf.Tensor[]; created: tf.Tensor[] } {
    const { inputs, mask = {} } = batch;
    let batchSize: number | undefined;
    for (const m of this.modalities) {
      const x = inputs[m];
      if (!x) {
        throw new InputError(`Missing input '${m}'. The model's modalities are: ${this.modalities.join(', ')}. For an absent modality pass zeros and mask.${m} = 0.`);
      }
      const expected = this.metadata.inputShapes[m];
      const actual = x.shape.slice(1);
      if (actual.length !== expected.length || actual.some((d, i) => expected[i] !== null && expected[i] !== -1 && d !== expected[i])) {
        throw new InputError(`Input '${m}' has shape ${formatShape(x.shape)}; expected ${formatShape([null, ...expected])}.`);
      }
      if (batchSize === undefined) batchSize = x.shape[0];
      else if (x.shape[0] !== batchSize) {
        throw new InputError(`Input '${m}' has batch size ${x.shape[0]} but other inputs have ${batchSize}.`);
      }
    }
    const created: tf.Tensor[] = [];
    const masks = this.modalities.map((m) => {
      const given = mask[m];
      if (!given) {
        const allPresent = tf.ones([batchSize!]);
        created.push(allPresent);
        return allPresent;
      }
      if (given.rank !== 1 || given.shape[0] !== batchSize) {
        throw new InputError(`mask.${m} has shape ${formatShape(given.shape)}; expected [${batchSize}] (one 0/1 value per sample).`);
      }
      return given;
    });
    const tokens = Object.entries(this.metadata.heads ?? {})
      .filter(([, info]) => info.tokensInput)
      .map(([head, info]) => {
        const sequence = batch.targets?.[info.target];
        const teacher =
          sequence && sequence.rank === 2 && sequence.shape[1]! >= 2
            ? tf.cast(sequence.slice([0, 0], [-1, sequence.shape[1]! - 1]), 'int32')
            : tf.fill([batchSize!, 1], this.decoders[head]!.bosId, 'int32');
        created.push(teacher);
        return teacher;
      });
    // Feed by name: a saved graph drops inputs no output depends on (a mask no fusion reads).
    const byName = new Map<string, tf.Tensor>(this.modalities.map((m) => [m, inputs[m]!] as [string, tf.Tensor]));
    const declaredRank = new Map(this.model.inputs.map((t) => [t.sourceLayer.name, t.shape.length]));
    this.modalities.forEach((m, i) => {
      let mask = masks[i]!;
      // A graph opened with plain tf.loadLayersModel declares masks [B, 1] (see interop/columnMaskInputs.ts).
      if (declaredRank.get(maskInputName(m)) === 2) created.push((mask = tf.reshape(mask, [-1, 1])));
      byName.set(maskInputName(m), mask);
    });
    (this.metadata.tokenInputs ?? []).forEach((name, i) => byName.set(name, tokens[i]!));
    return { ordered: this.model.inputNames.map((name) => byName.get(name)!), created };
  }
}

/**
 * Names of layers that produce `outputs`, walking back through the nodes that
 * made each tensor (not a shared layer's other uses) until `inputLayers` or
 * `exclude` layers.
 */
function ancestorLayers(outputs: tf.SymbolicTensor[], inputLayers: Set<string>, exclude: Set<string>): string[] {
  const seen = new Set<string>();
  const stack: tf.SymbolicTensor[] = [...outputs];
  const visitedNodes = new Set<unknown>();
  while (stack.length > 0) {
    const tensor = stack.pop()!;
    const layer = tensor.sourceLayer as unknown as { name: string; inboundNodes: { inputTensors: tf.SymbolicTensor[] }[] } | undefined;
    if (!layer || inputLayers.has(layer.name) || exclude.has(layer.name)) continue;
    seen.add(layer.name);
    const node = layer.inboundNodes[tensor.nodeIndex] ?? layer.inboundNodes[0];
    if (!node || visitedNodes.has(node)) continue;
    visitedNodes.add(node);
    stack.push(...node.inputTensors);
  }
  return [...seen];
}
