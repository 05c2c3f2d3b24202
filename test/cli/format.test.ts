import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ResultSet } from '../../src/cli/format/result';
import { renderTable } from '../../src/cli/format/table';
import { formatLoadProblems } from '../../src/cli/problems';
import { describeProgress } from '../../src/cli/progress';

function aResult(overrides: Partial<ResultSet> = {}): ResultSet {
  return {
    columns: ['workspaceId', 'n', 'requestParams'],
    columnKinds: ['value', 'value', 'json'],
    rows: [
      ['9123456789012345678', 12, '{"big":12345678901234567890,"s":"x"}'],
      ['0', null, null],
    ],
    rowCount: 2,
    truncated: false,
    ...overrides,
  };
}

test('table: aligned columns, NULL, numbers to the right, long cells cut with an ellipsis, a footer', () => {
  const text = renderTable(aResult(), { maxCellWidth: 20 });
  const lines = text.trimEnd().split('\n');
  assert.deepEqual(lines.slice(0, 4), [
    'workspaceId          n     requestParams',
    '-------------------  ----  --------------------',
    '9123456789012345678    12  {"big":123456789012…',
    '0                    NULL  NULL',
  ]);
  assert.equal(lines[4], '2 rows');
});

test('table: says when only the first rows are shown, and keeps rows on one line', () => {
  const text = renderTable(aResult({ columns: ['a'], columnKinds: ['value'], rows: [['x\ny']], rowCount: 5, truncated: true }));
  // The newline shows as an escape: the row stays on one line and the terminal obeys nothing.
  assert.match(text, /^x\\u\{a\}y$/m);
  assert.match(text, /5 rows \(showing first 1\)\n$/);
  assert.match(renderTable(aResult({ columns: ['a'], columnKinds: ['value'], rows: [['x']], rowCount: 1 })), /\n1 row\n$/);
});

test('load problems: the first few as file:line: reason, then how many more', () => {
  const problems = Array.from({ length: 7 }, (_, i) => ({ file: 'w/d/auditlogs_1.json', line: i + 1, reason: 'not JSON' }));
  const text = formatLoadProblems({ problems, problemCount: 9 }, 5);
  assert.match(text, /^warning: 9 problems while loading:\n/);
  assert.match(text, /\n {2}w\/d\/auditlogs_1\.json:1: not JSON\n/);
  assert.match(text, /… and 4 more\n$/);
  assert.equal(formatLoadProblems({ problems: [], problemCount: 0 }), '');
});

test('load problems: a pushed-down load says how many lines it left unchecked, and how to check them', () => {
  const text = formatLoadProblems({ problems: [{ file: 'f.json', line: 2, reason: 'not JSON' }], problemCount: 1, linesSkippedByFilter: 40 });
  assert.match(text, /\(40 lines no query reads were skipped unparsed; `audit-lens validate` checks every line\)\n$/);
  assert.equal(formatLoadProblems({ problems: [], problemCount: 0, linesSkippedByFilter: 40 }), '');
});

test('progress lines: bytes as a percentage, counts with their unit', () => {
  assert.equal(describeProgress({ message: 'Loading a.json (1/4)', done: 512, total: 2048, unit: 'bytes' }), 'Loading a.json (1/4) 25%');
  assert.equal(describeProgress({ message: 'Scanning', done: 3, total: 9, unit: 'files' }), 'Scanning 3/9 files');
  assert.equal(describeProgress({ message: 'Listing files…' }), 'Listing files…');
});

test('load problems: a skipped file is named without a line number', () => {
  const text = formatLoadProblems({ problems: [{ file: 'w/d/auditlogs_2.json', line: 0, reason: 'file skipped: it vanished' }], problemCount: 1 });
  assert.equal(text, 'warning: 1 problem while loading:\n  w/d/auditlogs_2.json: file skipped: it vanished\n');
});
