import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { columnKind, toCellValue } from '../../../src/core/databricks/values';

const column = (type_name: string) => ({ name: 'c', position: 0, type_name });

describe('JSON_ARRAY values read by their column type', () => {
  it('reads integers exactly, keeping those past 2^53 as decimal text', () => {
    assert.equal(toCellValue('42', column('LONG')), 42);
    assert.equal(toCellValue('1234567890123456789', column('LONG')), '1234567890123456789');
    assert.equal(toCellValue('-7', column('INT')), -7);
  });

  it('reads floating numbers, and decimals only while they fit a double', () => {
    assert.equal(toCellValue('2.5', column('DOUBLE')), 2.5);
    assert.equal(toCellValue('10.25', column('DECIMAL')), 10.25);
    assert.equal(toCellValue('12345678901234567.89', column('DECIMAL')), '12345678901234567.89');
  });

  it('keeps text, dates and booleans as the warehouse wrote them, NULL as null, and marks nested types as JSON', () => {
    assert.equal(toCellValue('2024-03-01', column('DATE')), '2024-03-01');
    assert.equal(toCellValue('true', column('BOOLEAN')), 'true');
    assert.equal(toCellValue(null, column('LONG')), null);
    assert.equal(toCellValue('{"email":"a@b.c"}', column('STRUCT')), '{"email":"a@b.c"}');
    assert.equal(columnKind(column('STRUCT')), 'json');
    assert.equal(columnKind(column('MAP')), 'json');
    assert.equal(columnKind(column('STRING')), 'value');
  });
});
