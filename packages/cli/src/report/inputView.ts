import path from 'node:path';
import { escapeHtml } from './escapeHtml.js';
import type { Thumbnail } from './imageThumbnail.js';

/** How the report shows a sample's inputs: which modalities are files, and a thumbnailer for image files. */
export interface InputView {
  /** `data.modalities.<name>.type` from the run's config ('file', 'text', 'number', 'numbers'). */
  modalityTypes: Record<string, string>;
  thumbnail: (file: string, maxSide: number) => Promise<Thumbnail>;
}

/** Inline texts longer than this are cut with an ellipsis. */
const maxTextLength = 240;

/**
 * One input value as HTML: an image file as an embedded thumbnail (longer
 * side `maxSide` px; smaller images enlarged by a whole factor), another file by its name, text as a quoted string, a
 * number list as its first values. Every text is escaped.
 */
export async function renderInput(view: InputView, modality: string, value: unknown, maxSide: number): Promise<string> {
  const isFile = typeof value === 'string' && (view.modalityTypes[modality] === 'file' || (view.modalityTypes[modality] === undefined && path.isAbsolute(value)));
  if (isFile) {
    const name = path.basename(value);
    const found = await view.thumbnail(value, maxSide);
    if (found.kind === 'image') {
      // Tiny images (28×28 digits) are drawn larger, by a whole factor with crisp pixels.
      const zoom = Math.min(8, Math.max(1, Math.floor(maxSide / Math.max(found.width, found.height))));
      const size = `width="${found.width * zoom}" height="${found.height * zoom}"`;
      return `<img class="input${zoom > 1 ? ' upscaled' : ''}" src="${found.dataUri}" ${size} alt="${escapeHtml(name)}" title="${escapeHtml(value)}">`;
    }
    return `<span class="file" title="${escapeHtml(value)}">${escapeHtml(name)}${found.kind === 'missing' ? ' <em>(file not found)</em>' : ''}</span>`;
  }
  if (typeof value === 'string') return `<q>${escapeHtml(value.length > maxTextLength ? `${value.slice(0, maxTextLength)}…` : value)}</q>`;
  if (typeof value === 'number') return `<span class="numbers">${escapeHtml(formatNumber(value))}</span>`;
  if (Array.isArray(value) && value.every((v) => typeof v === 'number')) {
    const shown = value.slice(0, 6).map(formatNumber).join(', ');
    return `<span class="numbers">[${escapeHtml(shown)}${value.length > 6 ? `, … (${value.length})` : ''}]</span>`;
  }
  const json = JSON.stringify(value) ?? '';
  return `<span class="numbers">${escapeHtml(json.length > maxTextLength ? `${json.slice(0, maxTextLength)}…` : json)}</span>`;
}

/**
 * A sample's inputs, one labelled line per modality (images first, so a
 * gallery card starts with its picture). `only` restricts to some modalities.
 */
export async function renderInputs(view: InputView, inputs: Record<string, unknown> | undefined, maxSide: number, only?: string[]): Promise<string> {
  const entries = Object.entries(inputs ?? {}).filter(([m]) => !only || only.includes(m));
  if (entries.length === 0) return '<span class="muted">(no inputs recorded)</span>';
  const rendered = await Promise.all(entries.map(async ([m, v]) => ({ modality: m, html: await renderInput(view, m, v, maxSide) })));
  rendered.sort((a, b) => Number(b.html.startsWith('<img')) - Number(a.html.startsWith('<img')));
  if (rendered.length === 1 && only) return rendered[0]!.html;
  return rendered.map((r) => (r.html.startsWith('<img') ? r.html : `<div class="input-line"><span class="modality">${escapeHtml(r.modality)}</span> ${r.html}</div>`)).join('');
}

/** A number with at most four significant digits (integers as they are). */
export function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}
