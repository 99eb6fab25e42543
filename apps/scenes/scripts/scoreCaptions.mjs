/**
 * BLEU-4, CIDEr-D and ROUGE-L of captions against their references, with
 * the metric code `polyfuse train` itself scores decoders with
 * (@polyfuse/trainer's `bleu`, `cider`, `rouge-l`), so a baseline and a
 * trained model are compared on exactly the same scale.
 */
export async function scoreCaptions(hypotheses, references) {
  const { tf, initBackend } = await import('@polyfuse/core');
  const { createMetric } = await import('@polyfuse/trainer');
  await initBackend({ log: null });
  const scores = {};
  const rows = tf.zeros([hypotheses.length]);
  const context = { batch: { inputs: {}, mask: {}, targets: {}, ids: [], references: { caption: references } }, outputs: {}, generated: () => hypotheses };
  for (const [key, name] of [['bleu', 'bleu'], ['cider', 'cider'], ['rougeL', 'rouge-l']]) {
    const metric = createMetric({ name, config: { output: 'tokens_caption', target: 'caption' } });
    metric.update(rows, rows, context);
    scores[key] = metric.compute();
  }
  rows.dispose();
  return scores;
}
