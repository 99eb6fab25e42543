import { describe, expect, it } from 'vitest';
import { predictionsToCsv, predictionsToJson } from '../index.js';

const predictions = [
  { id: 'a,1', prediction: 'cat', probabilities: { cat: 0.75, 'big "dog"': 0.25 } },
  { id: 'b', prediction: 'big "dog"', probabilities: { cat: 0.5, 'big "dog"': 0.5 } },
];

describe('prediction output', () => {
  it('writes CSV with a probability column per class, quoting per RFC 4180', () => {
    expect(predictionsToCsv(predictions, ['cat', 'big "dog"'])).toBe(
      'id,prediction,p_cat,"p_big ""dog"""\n"a,1",cat,0.75,0.25\nb,"big ""dog""",0.5,0.5\n',
    );
  });

  it('writes JSON that parses back to the predictions', () => {
    expect(JSON.parse(predictionsToJson(predictions))).toEqual(predictions);
  });
});
