/** The kinds of target a run can train on (`data.labels.<name>.type`). */
export type TargetType = 'class' | 'multilabel' | 'regression' | 'sequence' | 'match';

/**
 * What a fitted target tells the model about itself, so that heads size
 * themselves from the data (classes, regression width, vocabulary) instead of
 * from numbers typed into a config.
 */
export interface TargetInfo {
  type: TargetType;
  /** `class` / `multilabel`: class names in index order. */
  classes?: string[];
  /** `regression`: values per sample (1 for a scalar target). */
  size?: number;
  /** `sequence`: vocabulary size, longest sequence (bos and eos included) and special ids. */
  vocabSize?: number;
  maxLength?: number;
  padId?: number;
  bosId?: number;
  eosId?: number;
}
