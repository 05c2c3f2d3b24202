/** Loading sql.js: a missing wasm file is an error the caller can catch, not an abort of the thread. */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { it } from 'node:test';
import { AuditDatabase } from '../../../src/core/sql/database';
import { JsonbConverter } from '../../../src/core/sql/jsonb';

it('refuses a wasm path that does not exist with a clear error, for the session and the converter', async () => {
  const missing = path.join(tmpdir(), 'no-such-dir', 'sql-wasm.wasm');
  await assert.rejects(AuditDatabase.open({ wasmPath: missing }), /sql\.js's wasm file is missing/);
  await assert.rejects(JsonbConverter.open(missing), /sql\.js's wasm file is missing/);
  const database = await AuditDatabase.open();
  assert.equal(database.rowCount, 0, 'sql.js still loads from its default place');
  database.close();
});
