import { describe, expect, it } from 'vitest';
import { evaluationLines, extrasLines, extrasPlanLine } from './evalCommand.js';

describe('polyfuse eval output', () => {
  it('says which extra passes run, or why none do', () => {
    expect(extrasPlanLine({ contribution: true, robustness: [0.5, 1] }, ['audio', 'image'], true)).toBe(
      'extra passes: 2 (each modality masked for every sample) for contribution, robustness at 50%, 100%; --no-extras skips them',
    );
    expect(extrasPlanLine({ contribution: false, robustness: [0.25] }, ['a', 'b', 'c'], true)).toBe(
      'extra passes: 3 (each modality masked for every sample) for robustness at 25%; --no-extras skips them',
    );
    expect(extrasPlanLine({ contribution: true, robustness: [0.5] }, ['a', 'b'], false)).toBe('extra passes: none (--no-extras)');
    expect(extrasPlanLine({ contribution: false, robustness: [] }, ['image'], true)).toBe('extra passes: none (the model has one modality)');
    expect(extrasPlanLine({ contribution: false, robustness: [] }, ['a', 'b'], true)).toMatch(/none \(the run's evaluation section turns contribution and robustness off\)/);
  });

  it('prints the masked modalities, the scores and the results of the extra passes', () => {
    const evaluation = {
      split: 'test',
      count: 9,
      masked: ['audio'],
      metrics: { accuracy: 0.5 },
      contribution: { metric: 'accuracy', modalities: { audio: { full: 0.5, without: 0.5, contribution: 0 }, image: { full: 0.5, without: 0.625, contribution: -0.125 } } },
      robustness: { metric: 'accuracy', points: [{ modality: 'audio', rate: 0.5, value: 0.5 }, { modality: 'image', rate: 0.5, value: 0.25 }] },
    };
    expect([...evaluationLines(evaluation), ...extrasLines(evaluation)]).toEqual([
      'test: 9 samples, audio masked',
      '  accuracy     0.5000',
      'contribution (accuracy drop when one modality is masked):',
      '  audio  0.5000 -> 0.5000  +0.0000',
      '  image  0.5000 -> 0.6250  -0.1250',
      'robustness (accuracy with a modality missing from a share of the samples):',
      '  audio  50% 0.5000',
      '  image  50% 0.2500',
    ]);
    expect(extrasLines({ split: 'test', count: 9, metrics: {} })).toEqual([]);
  });
});
