import { describe, expect, it } from 'vitest';
import { readSample } from './readSample.js';
import { LabelEncoder } from './labelEncoder.js';
import { validateDatasetSpec } from './validateDatasetSpec.js';
import type { DatasetSpec } from './datasetSpec.js';

const spec: DatasetSpec = {
  manifest: 'm.csv',
  modalities: {
    caption: { type: 'text', preprocessor: { name: 'text' } },
    vitals: { type: 'numbers', field: 'vital_signs', preprocessor: { name: 'numeric' } },
    age: { type: 'number', preprocessor: { name: 'numeric' } },
  },
  labels: { diagnosis: { classes: ['healthy', 'flu', 'covid'] }, severity: { type: 'number' } },
  split: { field: 'split' },
};
const labels = {
  diagnosis: new LabelEncoder('diagnosis', spec.labels!.diagnosis, []),
  severity: new LabelEncoder('severity', spec.labels!.severity, []),
};

describe('readSample', () => {
  it('reads text, CSV number lists and numbers, and encodes labels', () => {
    const result = readSample(
      { line: 4, values: { id: 'p7', caption: 'a cough', vital_signs: '36.6; 80 120', age: ' 41 ', diagnosis: 'flu', severity: '2.5', split: ' train ' } },
      spec,
      labels,
    );
    expect(result).toEqual({
      record: { id: 'p7', line: 4, fields: { caption: 'a cough', vitals: [36.6, 80, 120], age: 41 }, targets: { diagnosis: 1, severity: 2.5 }, split: 'train' },
    });
  });

  it('masks empty modalities and names the field of a bad value', () => {
    const empty = readSample({ line: 2, values: { caption: '  ', vital_signs: [], age: null, diagnosis: 'covid', severity: 1 } }, spec, labels);
    expect(empty).toMatchObject({ record: { id: 'line:2', fields: { caption: undefined, vitals: undefined, age: undefined } } });
    expect(readSample({ line: 3, values: { vital_signs: '1;x', diagnosis: 'flu', severity: 1 } }, spec, labels)).toMatchObject({ field: 'vital_signs', message: expect.stringMatching(/expected an array of finite numbers/) });
    expect(readSample({ line: 3, values: { age: 'old', diagnosis: 'flu', severity: 1 } }, spec, labels)).toEqual({ field: 'age', message: 'expected a finite number, got "old".' });
    expect(readSample({ line: 3, values: { diagnosis: 'cold', severity: 1 } }, spec, labels)).toEqual({ field: 'diagnosis', message: 'unknown class "cold"; classes are healthy, flu, covid.' });
    expect(readSample({ line: 3, values: { diagnosis: 'flu' } }, spec, labels)).toEqual({ field: 'severity', message: 'the label is missing.' });
  });

  it('infers classes: integers are their own index, names are sorted', () => {
    expect(new LabelEncoder('d', {}, [3, '1', 3, null]).classes).toEqual(['0', '1', '2', '3']);
    expect(new LabelEncoder('d', {}, ['dog', 'cat', 'dog']).classes).toEqual(['cat', 'dog']);
  });

  it('validates a spec from a config file, naming the bad path', () => {
    expect(validateDatasetSpec(spec)).toBe(spec);
    expect(() => validateDatasetSpec({ ...spec, shuffle: true })).toThrow(/dataset\.shuffle is not a known option/);
    expect(() => validateDatasetSpec({ ...spec, modalities: { a: { preprocessor: 'image' } } })).toThrow(/dataset\.modalities\.a\.preprocessor must be an object \{ name, config\? \}/);
    expect(() => validateDatasetSpec({ ...spec, split: { fractions: { validation: 1.5 } } })).toThrow(/dataset\.split\.fractions\.validation must be a number in \[0, 1\), got 1\.5/);
    expect(() => validateDatasetSpec({ ...spec, split: { stratify: 'label' } })).toThrow(/dataset\.split\.stratify must be one of the labels \(diagnosis, severity\)/);
    expect(() => validateDatasetSpec({ ...spec, concurrency: 0 })).toThrow(/dataset\.concurrency must be an integer >= 1/);
  });
});
