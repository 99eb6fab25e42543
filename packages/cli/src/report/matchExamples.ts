import type { TaskEvaluation } from '../training/evaluateTasks.js';
import { escapeHtml } from './escapeHtml.js';
import { renderInputs, type InputView } from './inputView.js';

/** A match example as evaluation.json holds it. */
interface MatchExample {
  query: { id: string; modality: string; inputs?: Record<string, unknown> };
  rankOfMatch: number;
  top: { id: string; score: number; match: boolean; inputs?: Record<string, unknown> }[];
}

/** Longer side of retrieval thumbnails, in pixels. */
const matchSide = 96;

/**
 * A match head's retrieval examples as a table: each row a query (its
 * modality's input) with the rank of its true match, then the top matches
 * among the other modality's embeddings (their inputs, scores), the true
 * match highlighted.
 */
export async function matchExamples(task: TaskEvaluation, view: InputView): Promise<string> {
  const examples = task.examples as unknown as MatchExample[];
  if (examples.length === 0) return '<p class="muted">No examples were recorded.</p>';
  const modalities = task.outputs.filter((o) => o.startsWith('embedding_')).map((o) => o.slice('embedding_'.length));
  const width = Math.max(...examples.map((e) => e.top.length));
  const queryModality = examples[0]!.query.modality;
  const resultModality = modalities.find((m) => m !== queryModality);
  const header =
    `<tr><th>query (${escapeHtml(queryModality)})</th><th>rank of true match</th>` +
    Array.from({ length: width }, (_, k) => `<th>#${k + 1}${resultModality ? ` ${escapeHtml(resultModality)}` : ''}</th>`).join('') +
    '</tr>';
  const rows = await Promise.all(
    examples.map(async (example) => {
      const { query } = example;
      const queryCell = `<td class="query"><div class="card-id">${escapeHtml(query.id)}</div>${await renderInputs(view, query.inputs, matchSide, query.inputs && query.modality in query.inputs ? [query.modality] : undefined)}</td>`;
      const mine = resultModality && example.top.every((t) => t.inputs && resultModality in t.inputs) ? [resultModality] : undefined;
      const cells = await Promise.all(
        example.top.map(
          async (t) =>
            `<td class="${t.match ? 'hit' : 'miss'}"${t.match ? ' title="the true match"' : ''}><div class="card-id">${escapeHtml(t.id)}${t.match ? ' ✓' : ''}</div>${await renderInputs(view, t.inputs, matchSide, mine)}<div class="score">score ${escapeHtml(t.score.toFixed(3))}</div></td>`,
        ),
      );
      const rank = example.rankOfMatch;
      const rankCell = `<td class="num rank${rank === 1 ? ' first' : ''}">${escapeHtml(rank)}${rank > example.top.length ? ' <span class="muted">(not shown)</span>' : ''}</td>`;
      return `<tr>${queryCell}${rankCell}${cells.join('')}${'<td></td>'.repeat(width - cells.length)}</tr>`;
    }),
  );
  return `<table class="matches">${header}${rows.join('')}</table>`;
}
