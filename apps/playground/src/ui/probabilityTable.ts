import type { Predictions } from '../model/predictAllWays.js';

const rows: { key: keyof Predictions; label: string }[] = [
  { key: 'fused', label: 'image + audio' },
  { key: 'withoutImage', label: 'image masked (audio only)' },
  { key: 'withoutAudio', label: 'audio masked (image only)' },
];

const argmax = (values: number[]) => values.indexOf(Math.max(...values));

/**
 * Fills the prediction table: one row per way of running the model, a cell
 * per class with its probability as a bar, the row's winner highlighted.
 * Each row carries its probabilities in `data-probabilities` (for the tests)
 * and each cell its value in its title.
 */
export function renderProbabilityTable(table: HTMLTableElement, predictions: Predictions, classes: string[]): void {
  table.replaceChildren();
  const head = table.createTHead().insertRow();
  head.insertCell().textContent = 'model input';
  for (const name of classes) head.insertCell().textContent = name;
  head.insertCell().textContent = 'prediction';
  const body = table.createTBody();
  for (const { key, label } of rows) {
    const probabilities = predictions[key];
    const best = argmax(probabilities);
    const row = body.insertRow();
    row.dataset.mode = key;
    row.dataset.probabilities = JSON.stringify(probabilities);
    row.dataset.predicted = classes[best];
    row.insertCell().textContent = label;
    probabilities.forEach((p, i) => {
      const cell = row.insertCell();
      cell.className = i === best ? 'bar best' : 'bar';
      cell.title = `${classes[i]}: ${(p * 100).toFixed(1)}%`;
      const track = document.createElement('div');
      const fill = document.createElement('span');
      fill.style.height = `${Math.max(2, p * 100)}%`;
      track.append(fill);
      cell.append(track);
    });
    const verdict = row.insertCell();
    verdict.className = 'verdict';
    verdict.textContent = `${classes[best]} (${(probabilities[best]! * 100).toFixed(1)}%)`;
  }
}
