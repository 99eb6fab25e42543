/** One sample's prediction: the top class and the probability of every class. */
export interface Prediction {
  id: string;
  prediction: string;
  probabilities: Record<string, number>;
}

/** JSON: an array of predictions, pretty-printed. */
export function predictionsToJson(predictions: Prediction[]): string {
  return `${JSON.stringify(predictions, null, 2)}\n`;
}

/**
 * CSV (RFC 4180): `id,prediction,p_<class>...`, one row per sample, fields
 * quoted when they contain a comma, quote or newline.
 */
export function predictionsToCsv(predictions: Prediction[], classes: string[]): string {
  const quote = (value: string): string => (/[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value);
  const header = ['id', 'prediction', ...classes.map((c) => `p_${c}`)].map(quote).join(',');
  const rows = predictions.map((p) => [quote(p.id), quote(p.prediction), ...classes.map((c) => String(p.probabilities[c]))].join(','));
  return `${[header, ...rows].join('\n')}\n`;
}
