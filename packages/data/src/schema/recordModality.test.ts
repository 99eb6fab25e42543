import { describe, expect, it } from 'vitest';
import { readSample } from './readSample.js';
import { LabelEncoder } from './labelEncoder.js';
import { validateDatasetSpec } from './validateDatasetSpec.js';
import type { DatasetSpec } from './datasetSpec.js';

const spec: DatasetSpec = {
  manifest: 'patients.jsonl',
  modalities: {
    vitals: { type: 'record', preprocessor: { name: 'numeric' } },
    labs: { type: 'record', columns: ['crp', 'wbc'], preprocessor: { name: 'numeric' } },
  },
  labels: { label: { classes: ['well', 'sick'] } },
};
const labels = { label: new LabelEncoder('label', spec.labels!.label, []) };

describe("modality type 'record' (named values for tabular preprocessors)", () => {
  it('passes a JSON object through, nulls included, and gathers CSV columns into one record', () => {
    const result = readSample({ line: 3, values: { id: 'p1', vitals: { age: 41, bmi: null, smoker: false, sex: 'f' }, crp: '12', wbc: '', label: 'sick' } }, spec, labels);
    expect(result).toEqual({
      record: { id: 'p1', line: 3, fields: { vitals: { age: 41, bmi: null, smoker: false, sex: 'f' }, labs: { crp: '12', wbc: null } }, targets: { label: 1 }, split: undefined },
    });
  });

  it('masks a record whose columns are all missing, like any absent modality', () => {
    const result = readSample({ line: 4, values: { vitals: { age: 50 }, crp: '', label: 'well' } }, spec, labels);
    expect(result).toMatchObject({ record: { fields: { vitals: { age: 50 }, labs: undefined } } });
  });

  it('names the column of a value a record cannot hold, and what it expected', () => {
    expect(readSample({ line: 5, values: { vitals: { age: [41] }, label: 'well' } }, spec, labels)).toEqual({
      field: 'age',
      message: "record value 'age' must be a number, a string, a boolean or null (missing), got [41].",
    });
    expect(readSample({ line: 6, values: { vitals: [41, 22], label: 'well' } }, spec, labels)).toMatchObject({
      field: 'vitals',
      message: expect.stringMatching(/^expected a record \(a JSON object of named values/),
    });
  });

  it("points a JSON object in a file or text modality at type 'record'", () => {
    const fileSpec: DatasetSpec = { ...spec, modalities: { vitals: { preprocessor: { name: 'numeric' } } } };
    expect(readSample({ line: 7, values: { vitals: { age: 41 }, label: 'well' } }, fileSpec, labels)).toEqual({
      field: 'vitals',
      message: "expected a file path (a string), got {\"age\":41}. For named values such as a table row, declare the modality's type: record.",
    });
  });

  it('validates columns: only with type record, a non-empty list of names', () => {
    expect(() => validateDatasetSpec({ manifest: 'm.csv', modalities: { labs: { type: 'numbers', columns: ['crp'], preprocessor: { name: 'numeric' } } } })).toThrow(
      /dataset\.modalities\.labs\.columns must be given only with type "record"/,
    );
    expect(() => validateDatasetSpec({ manifest: 'm.csv', modalities: { labs: { type: 'record', columns: [], preprocessor: { name: 'numeric' } } } })).toThrow(
      /dataset\.modalities\.labs\.columns must be a non-empty array of manifest field names/,
    );
    expect(validateDatasetSpec(spec).modalities.labs.columns).toEqual(['crp', 'wbc']);
  });
});
