import { tf } from '../tf.js';
import { ConfigError } from '../errors/errors.js';
import { registry } from '../registry/registry.js';
import { isDecoderHead, type DecoderHead, type Head } from '../contracts/head.js';
import type { TargetInfo } from '../contracts/target.js';
import { MaskedMeanPooling } from '../layers/maskedMeanPooling.js';
import { SequenceOnes } from '../layers/sequenceOnes.js';
import { LogitScale } from '../layers/logitScale.js';
import {
  contextMaskOutputName,
  contextOutputName,
  embeddingOutputName,
  headOutputName,
  logitScaleOutputName,
  tokensInputName,
  type NamedHeadInfo,
  type NamedHeadSpec,
} from './namedHead.js';

type S = tf.SymbolicTensor;

/** The parts of a model graph that named heads read. */
export interface HeadInputs {
  /** The fusion's output, when the model has a fusion. */
  fused?: S;
  /** Each modality's embedding, `[B, D]` or `[B, T, D]`. */
  embeddings: Record<string, S>;
  /** `[B, T]` padding masks of sequence embeddings whose encoder gives one. */
  paddingMasks: Record<string, S>;
}

/** Named heads wired into a graph: their outputs, the extra inputs they need, and how to describe them. */
export interface WiredHeads {
  outputs: { name: string; tensor: S }[];
  /** Teacher-forced token inputs of decoder heads. */
  inputs: S[];
  infos: Record<string, NamedHeadInfo>;
  decoders: Record<string, DecoderHead>;
}

/**
 * Builds every `model.heads` entry from the registry and wires it: sizes come
 * from the head's fitted target (`units` = classes or regression width;
 * decoders get vocabulary, length and special ids), and the output is named
 * by the target's type (see docs/tasks.md). A sequence input feeds a
 * decoder's cross-attention with its padding mask, and is mean-pooled over
 * real steps for every other head.
 */
export function wireNamedHeads(specs: Record<string, NamedHeadSpec>, targets: Record<string, TargetInfo>, graph: HeadInputs): WiredHeads {
  const wired: WiredHeads = { outputs: [], inputs: [], infos: {}, decoders: {} };
  for (const [name, spec] of Object.entries(specs)) {
    const at = `model.heads.${name}`;
    const target = targets[spec.target];
    if (!target) {
      throw new ConfigError(`${at}.target: no fitted target '${spec.target}' (targets: ${Object.keys(targets).join(', ') || 'none'}). Pass the dataset's target info when building the model.`);
    }
    const input = spec.input ?? 'fused';
    // A match head projects each modality's own embedding; every other head reads its input.
    const source = target.type === 'match' ? undefined! : headInput(input, graph, `${at}.input`);
    const config = spec.config ?? {};
    const info: NamedHeadInfo = { spec: { name: spec.name, config }, target: spec.target, targetType: target.type, input, outputs: [], kind: 'logits' };
    const add = (output: string, tensor: S) => {
      wired.outputs.push({ name: output, tensor });
      info.outputs.push(output);
    };
    if (target.type === 'sequence') {
      const built = registry.create<Head | DecoderHead>('head', spec.name, config, `${at}.config`, { inputShape: shapeOf(source.tensor), namePrefix: `head_${name}`, target });
      if (!isDecoderHead(built)) throw new ConfigError(`${at}.name: target '${spec.target}' is a sequence, so the head must be a decoder (e.g. text-decoder from @polyfuse/text), got '${spec.name}'.`);
      const tokens = tf.input({ shape: [null as unknown as number], dtype: 'int32', name: tokensInputName(name) });
      const contextMask = source.sequence ? (source.paddingMask ?? (new SequenceOnes({ name: `head_${name}_context_ones` }).apply(source.tensor) as S)) : undefined;
      add(headOutputName('sequence', name), built.applyDecoder(source.tensor, contextMask, tokens));
      add(contextOutputName(name), source.tensor);
      if (contextMask) add(contextMaskOutputName(name), contextMask);
      wired.inputs.push(tokens);
      wired.decoders[name] = built;
      Object.assign(info, { kind: 'tokens', tokensInput: tokensInputName(name), contextShape: shapeOf(source.tensor) });
    } else if (target.type === 'match') {
      const modalities = (config.modalities as string[] | undefined) ?? Object.keys(graph.embeddings);
      if (modalities.length < 2) throw new ConfigError(`${at}.config.modalities: a match head projects at least two modalities, got ${JSON.stringify(modalities)}.`);
      for (const modality of modalities) {
        const embedding = headInput(modality, graph, `${at}.config.modalities`);
        const pooled = pool(embedding, `head_${name}_${modality}_pool`);
        const dim = (config.dim as number | undefined) ?? 64;
        const head = registry.create<Head>('head', spec.name, { ...config, units: dim }, `${at}.config`, { inputShape: shapeOf(pooled), namePrefix: `head_${name}_${modality}`, target });
        add(embeddingOutputName(modality), head.apply(pooled));
      }
      if (config.learnableTemperature !== false) {
        const scale = new LogitScale({ name: `head_${name}_logit_scale`, initialTemperature: (config.initialTemperature as number | undefined) ?? 0.07 });
        add(logitScaleOutputName, scale.apply(wired.outputs[wired.outputs.length - 1]!.tensor) as S);
      }
      info.kind = 'embedding';
    } else {
      const units = target.type === 'regression' ? (target.size ?? 1) : (target.classes?.length ?? 0);
      if (units < 1) throw new ConfigError(`${at}: target '${spec.target}' has no classes; fit the target before building the model.`);
      if (config.units !== undefined && config.units !== units) {
        throw new ConfigError(`${at}.config.units: the data decides it (${units} for target '${spec.target}'); remove it from the config.`);
      }
      const pooled = pool(source, `head_${name}_pool`);
      const head = registry.create<Head | DecoderHead>('head', spec.name, { ...config, units }, `${at}.config`, { inputShape: shapeOf(pooled), namePrefix: `head_${name}`, target });
      if (isDecoderHead(head)) throw new ConfigError(`${at}.name: '${spec.name}' is a decoder, which predicts sequence targets; target '${spec.target}' is '${target.type}'.`);
      add(headOutputName(target.type, name), head.apply(pooled));
      info.kind = target.type === 'regression' ? 'values' : 'logits';
    }
    wired.infos[name] = info;
  }
  return wired;
}

interface HeadSource {
  tensor: S;
  sequence: boolean;
  paddingMask?: S;
}

function headInput(input: string, graph: HeadInputs, at: string): HeadSource {
  if (input === 'fused') {
    if (!graph.fused) throw new ConfigError(`${at}: 'fused' needs model.fusion; without a fusion, name a modality (${Object.keys(graph.embeddings).join(', ')}).`);
    return { tensor: graph.fused, sequence: graph.fused.shape.length === 3 };
  }
  const tensor = graph.embeddings[input];
  if (!tensor) throw new ConfigError(`${at}: '${input}' is neither 'fused' nor a modality (${Object.keys(graph.embeddings).join(', ')}).`);
  const paddingMask = graph.paddingMasks[input];
  return { tensor, sequence: tensor.shape.length === 3, ...(paddingMask ? { paddingMask } : {}) };
}

/** A `[B, D]` view of a head input: sequences are mean-pooled over their real steps. */
function pool(source: HeadSource, name: string): S {
  if (!source.sequence) return source.tensor;
  const layer = new MaskedMeanPooling({ name });
  return layer.apply(source.paddingMask ? [source.tensor, source.paddingMask] : source.tensor) as S;
}

function shapeOf(tensor: S): number[] {
  return tensor.shape.slice(1) as number[];
}
