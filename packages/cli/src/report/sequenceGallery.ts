import type { TaskEvaluation } from '../training/evaluateTasks.js';
import { escapeHtml } from './escapeHtml.js';
import { renderInputs, type InputView } from './inputView.js';

/** A sequence example as evaluation.json holds it. */
interface SequenceExample {
  id: string;
  inputs?: Record<string, unknown>;
  greedy?: string;
  beam?: string;
  references?: string[];
}

/** Longer side of gallery images, in pixels. */
const gallerySide = 192;

/**
 * A decoder head's examples as cards: the sample's inputs (an image file as
 * an embedded thumbnail, text as text), the greedy caption, the beam-search
 * caption when the run decoded with beams, and the reference captions. A
 * caption equal to a reference (ignoring case and outer spaces) is marked ✓.
 */
export async function sequenceGallery(task: TaskEvaluation, view: InputView): Promise<string> {
  const examples = task.examples as unknown as SequenceExample[];
  if (examples.length === 0) return '<p class="muted">No examples were recorded.</p>';
  const cards = await Promise.all(
    examples.map(async (example) => {
      const references = example.references ?? [];
      const same = (text: string) => references.some((r) => r.trim().toLowerCase() === text.trim().toLowerCase());
      const generated = (label: string, text: string | undefined) =>
        text === undefined ? '' : `<dt>${label}</dt><dd class="generated${same(text) ? ' hit' : ''}">${escapeHtml(text)}${same(text) ? ' <span class="tick" title="equals a reference">✓</span>' : ''}</dd>`;
      return (
        `<div class="card"><div class="card-id">${escapeHtml(example.id)}</div>${await renderInputs(view, example.inputs, gallerySide)}<dl>` +
        generated('greedy', example.greedy) +
        generated(`beam (width ${escapeHtml(task.beam?.width ?? '?')})`, example.beam) +
        `<dt>references</dt><dd><ul class="references">${references.map((r) => `<li>${escapeHtml(r)}</li>`).join('')}</ul></dd></dl></div>`
      );
    }),
  );
  return `<div class="gallery">${cards.join('')}</div>`;
}
