/** The SqlError a statement raises in a database, failing the test when it raises none or another error. */
import assert from 'node:assert/strict';
import type { AuditDatabase } from '../../src/core/sql/database';
import { SqlError } from '../../src/core/sql/dialect';

export function sqlErrorOf(database: AuditDatabase, sql: string): SqlError {
  try {
    database.query(sql);
  } catch (error) {
    assert.ok(error instanceof SqlError, String(error));
    return error;
  }
  assert.fail(`expected an error from ${sql}`);
}
