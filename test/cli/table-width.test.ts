/** The table formatter aligns columns by terminal width: emoji and CJK take two columns, combining marks none. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderTable } from '../../src/cli/format/table';
import type { ResultSet } from '../../src/cli/format/result';
import type { CellValue } from '../../src/core/sql/values';

function table(rows: CellValue[][], maxCellWidth?: number): string[] {
  const result: ResultSet = { columns: ['who', 'ip'], columnKinds: ['value', 'value'], rows, rowCount: rows.length, truncated: false };
  return renderTable(result, { maxCellWidth }).split('\n');
}

test('wide and combining characters keep the next column aligned', () => {
  const lines = table([
    ['emoji😀user', '10.0.0.1'],
    ['漢字', '10.0.0.2'],
    ['e\u0301t\u00e9', '10.0.0.3'],
    ['plain', '10.0.0.4'],
  ]);
  assert.deepEqual(lines.slice(0, 6), ['who          ip', '-----------  --------', 'emoji😀user  10.0.0.1', '漢字         10.0.0.2', 'e\u0301t\u00e9          10.0.0.3', 'plain        10.0.0.4']);
});

test('cutting a long cell never splits an emoji and stays within the width', () => {
  const [, , row] = table([['😀😀😀😀😀😀', 'x']], 6);
  assert.equal(row, '😀😀…  x');
});
