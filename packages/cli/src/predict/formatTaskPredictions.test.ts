import { describe, expect, it } from 'vitest';
import { taskPredictionsToCsv, taskPredictionsToJson } from './formatTaskPredictions.js';
import type { TaskLayout, TaskPrediction } from './predictTasks.js';

const layout: TaskLayout = {
  heads: [
    { head: 'kind', type: 'class', classes: ['cat', 'dog'] },
    { head: 'tags', type: 'multilabel', classes: ['big', 'red'] },
    { head: 'pose', type: 'regression', size: 2 },
    { head: 'caption', type: 'sequence', beamWidth: 3 },
    { head: 'pair', type: 'match', top: 2 },
  ],
};

const predictions: TaskPrediction[] = [
  {
    id: 'a',
    kind: { prediction: 'cat', probabilities: { cat: 0.75, dog: 0.25 } },
    tags: { prediction: ['big', 'red'], probabilities: { big: 0.9, red: 0.6 } },
    pose: { prediction: [1.5, -2] },
    caption: { prediction: 'a big, "red" cat', beamWidth: 3, score: -0.5 },
    pair: { query: 'image', matches: [{ id: 'a', score: 0.9 }] },
  },
];

describe('task prediction output', () => {
  it('writes one flat CSV column group per head, empty cells where there are fewer matches', () => {
    expect(taskPredictionsToCsv(predictions, layout)).toBe(
      'id,kind,kind_p_cat,kind_p_dog,tags,tags_p_big,tags_p_red,pose_0,pose_1,caption,caption_score,pair_1,pair_score_1,pair_2,pair_score_2\n' +
        'a,cat,0.75,0.25,big;red,0.9,0.6,1.5,-2,"a big, ""red"" cat",-0.5,a,0.9,,\n',
    );
  });

  it('puts the main classification output first when the model has one', () => {
    const csv = taskPredictionsToCsv([{ id: 'b', prediction: 'dog', probabilities: { cat: 0.1, dog: 0.9 }, pose: { prediction: [0, 1] } }], {
      mainClasses: ['cat', 'dog'],
      heads: [{ head: 'pose', type: 'regression', size: 2 }],
    });
    expect(csv).toBe('id,prediction,p_cat,p_dog,pose_0,pose_1\nb,dog,0.1,0.9,0,1\n');
  });

  it('writes JSON that parses back to the predictions', () => {
    expect(JSON.parse(taskPredictionsToJson(predictions))).toEqual(predictions);
  });
});
