import type { TaskEvaluation } from '../training/evaluateTasks.js';

/**
 * Whether a logged metric name (`val.` prefix removed) belongs to a head: it
 * is one of the head's test metrics, or it ends in the name of an output the
 * head produces (`bleu_tokens_caption`), or for a match head in its two
 * modalities (`recall@5_x_text`, from `embedding_x` and `embedding_text`).
 */
export function readsTask(task: Pick<TaskEvaluation, 'metrics' | 'outputs'>, name: string): boolean {
  if (name in task.metrics) return true;
  const modalities = task.outputs.filter((o) => o.startsWith('embedding_')).map((o) => o.slice('embedding_'.length));
  const suffixes = [...task.outputs, ...(modalities.length === 2 ? [modalities.join('_')] : [])];
  return suffixes.some((suffix) => name.endsWith(`_${suffix}`));
}
