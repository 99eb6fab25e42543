import { ConfigError, SeededRandom, registry, type Preprocessor, type TargetInfo } from '@polyfuse/core';
import type { LabelSpec } from '../schema/datasetSpec.js';
import type { Target, TargetEncodeContext } from './target.js';
import { isMissing } from './isMissing.js';

/** What a sequence target needs of its preprocessor's tokenizer (the `text` preprocessor's `.tokenizer`). */
export interface SequenceTokenizer {
  readonly vocabSize: number;
  readonly padId: number;
  readonly bosId: number | undefined;
  readonly eosId: number | undefined;
  decode(ids: readonly number[]): string;
}

/**
 * Text → int32 token ids `[L]`: bos … eos, then pad. A value is a string or a
 * list of strings (several references, e.g. captions of one image). The
 * tokenizer is a registered preprocessor (`spec.tokenizer`, usually
 * `{ name: 'text', config: { maxLength } }`) created with `addBosEos: true`,
 * so this package does not depend on @polyfuse/text. `fit` builds its
 * vocabulary from every training reference. Training encodes one reference
 * drawn with the sample's seeded rng (a new draw each epoch); evaluation
 * encodes the first. Every reference reaches metrics through
 * `batch.references.<name>`.
 */
export class SequenceTarget implements Target {
  readonly type = 'sequence' as const;
  readonly dtype = 'int32' as const;
  readonly perEpoch = true;
  readonly classes: string[] = [];
  /** The tokenizing preprocessor (its state is the target's state). */
  readonly preprocessor: Preprocessor;
  /** Folder the preprocessor resolves paths against (the manifest's, once fitted). */
  private baseDir = '.';

  constructor(
    readonly name: string,
    spec: LabelSpec,
  ) {
    if (!spec.tokenizer || typeof spec.tokenizer.name !== 'string') {
      throw new ConfigError(`labels.${name}.tokenizer is required for a sequence target, e.g. { name: text, config: { maxLength: 16 } }.`);
    }
    this.preprocessor = registry.create<Preprocessor>(
      'preprocessor',
      spec.tokenizer.name,
      { ...spec.tokenizer.config, addBosEos: true },
      `dataset.labels.${name}.tokenizer`,
    );
    if (this.preprocessor.dtype !== 'int32' || this.preprocessor.outputShape.length !== 1) {
      throw new ConfigError(
        `labels.${name}.tokenizer: preprocessor '${spec.tokenizer.name}' produces ${this.preprocessor.dtype} ${JSON.stringify(this.preprocessor.outputShape)}; a sequence target needs int32 token ids of shape [L].`,
      );
    }
  }

  /** `[L]`: the preprocessor's sequence length (`-1`: padded to the longest in each batch). */
  get shape(): number[] {
    return [...this.preprocessor.outputShape];
  }

  /** The preprocessor's tokenizer; a ConfigError when it has none. */
  get tokenizer(): SequenceTokenizer {
    const tokenizer = (this.preprocessor as { tokenizer?: Partial<SequenceTokenizer> }).tokenizer;
    if (!tokenizer || typeof tokenizer.decode !== 'function' || typeof tokenizer.padId !== 'number' || typeof tokenizer.vocabSize !== 'number') {
      throw new ConfigError(
        `labels.${this.name}.tokenizer: the preprocessor has no tokenizer (an object with decode, padId, bosId, eosId and vocabSize); use a text preprocessor such as { name: text }.`,
      );
    }
    return tokenizer as SequenceTokenizer;
  }

  get padValue(): number {
    return this.tokenizer.padId;
  }

  async fit(values: unknown[], context: { baseDir: string } = { baseDir: '.' }): Promise<void> {
    const texts = values.flatMap((v) => {
      const refs = this.references(v);
      return typeof refs === 'string' ? [] : refs;
    });
    this.baseDir = context.baseDir;
    await this.preprocessor.fit?.(texts, context);
  }

  references(value: unknown): string[] | string {
    if (isMissing(value)) return 'the label is missing.';
    const list = Array.isArray(value) ? value : [value];
    if (list.some((v) => typeof v !== 'string' || v.trim() === '')) {
      return `expected a text or a list of non-empty texts, got ${JSON.stringify(value).slice(0, 80)}.`;
    }
    return list as string[];
  }

  async encode(value: unknown, context: TargetEncodeContext): Promise<Int32Array | string> {
    const refs = this.references(value);
    if (typeof refs === 'string') return refs;
    const picked = context.training && context.rng && refs.length > 1 ? refs[context.rng.int(refs.length)] : refs[0];
    try {
      const ids = await this.preprocessor.process(picked, { baseDir: this.baseDir, training: false, rng: context.rng ?? new SeededRandom(0) });
      return Int32Array.from(ids);
    } catch (error) {
      return (error as Error).message;
    }
  }

  /** Text of token ids (a generated or target row): stops at the first eos, drops bos and pad. */
  decode(ids: readonly number[]): string {
    const t = this.tokenizer;
    const end = t.eosId === undefined ? -1 : ids.indexOf(t.eosId);
    const kept = (end >= 0 ? ids.slice(0, end) : ids).filter((id) => id !== t.padId && id !== t.bosId);
    return t.decode(kept);
  }

  info(): TargetInfo {
    const t = this.tokenizer;
    return { type: 'sequence', vocabSize: t.vocabSize, maxLength: this.preprocessor.outputShape[0], padId: t.padId, bosId: t.bosId, eosId: t.eosId };
  }

  getState(): unknown {
    return this.preprocessor.getState?.() ?? null;
  }

  setState(state: unknown): void {
    if (state === null || state === undefined) return;
    if (!this.preprocessor.setState) throw new ConfigError(`The saved state of label '${this.name}' has a tokenizer state but its preprocessor cannot restore it (no setState).`);
    this.preprocessor.setState(state);
  }
}
