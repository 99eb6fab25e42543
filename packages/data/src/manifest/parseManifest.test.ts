import { describe, expect, it } from 'vitest';
import { parseJsonlManifest } from './parseJsonl.js';
import { parseCsvManifest } from './parseCsv.js';
import { formatIssue } from './manifestRow.js';

describe('parseJsonlManifest', () => {
  it('reads one object per line and reports a corrupt line by number', () => {
    const text = '{"image":"a.png","label":1}\n\n# a comment\n{"image": "b.png", "label": 2\n[1,2]\n{"image":"c.png","label":3}\n';
    const { rows, issues } = parseJsonlManifest(text, 'train.jsonl');
    expect(rows.map((r) => r.line)).toEqual([1, 6]);
    expect(rows[1].values).toEqual({ image: 'c.png', label: 3 });
    expect(issues.map((i) => i.line)).toEqual([4, 5]);
    expect(formatIssue(issues[0])).toMatch(/^train\.jsonl:4: not valid JSON/);
    expect(issues[1].message).toMatch(/expected a JSON object/);
  });
});

describe('parseCsvManifest', () => {
  it('handles quotes, escaped quotes, multi-line cells and CRLF', () => {
    const text = 'text,label\r\n"hello, world",1\r\n"say ""hi""",2\n"two\nlines",3\n';
    const { rows, issues } = parseCsvManifest(text, 'm.csv');
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      { line: 2, values: { text: 'hello, world', label: '1' } },
      { line: 3, values: { text: 'say "hi"', label: '2' } },
      { line: 4, values: { text: 'two\nlines', label: '3' } },
    ]);
  });

  it('reports rows with the wrong number of cells and stray quotes', () => {
    const { rows, issues } = parseCsvManifest('a,b\n1,2\n1,2,3\nx"y,4\n', 'm.csv');
    expect(rows).toHaveLength(1);
    expect(issues.map((i) => [i.line, i.message.slice(0, 20)])).toEqual([
      [3, 'expected 2 cells (a,'],
      [4, 'a quote in the middl'],
    ]);
  });
});
