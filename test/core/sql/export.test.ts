/** The streaming export's formats (the CLI's --format csv|json print through it). */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuditDatabase } from '../../../src/core/sql/database';
import { exportQuery, type ExportFormat, type ExportOptions } from '../../../src/core/sql/export';

/** Two rows: a workspace id past 2^53 as text, a number, a JSON column; then NULLs. */
const TWO_ROWS = `SELECT '9123456789012345678' AS workspaceId, 12 AS n, '{"big":12345678901234567890,"s":"x"}' AS requestParams
  UNION ALL SELECT '0', NULL, NULL`;

/** 2500 rows; row 7's JSON column holds text that is not JSON. */
const MANY_ROWS = `WITH RECURSIVE r(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM r WHERE i < 2499)
  SELECT CAST(i AS TEXT) AS workspaceId, i AS n, CASE WHEN i = 7 THEN 'not json' ELSE '[1]' END AS requestParams FROM r`;

describe('exportQuery formats', () => {
  let database: AuditDatabase;
  before(async () => {
    database = await AuditDatabase.open();
  });
  after(() => database.close());

  async function chunksOf(sql: string, format: ExportFormat, options: ExportOptions = {}): Promise<{ chunks: string[]; outcome: { rowCount: number; totalRows?: number } }> {
    const chunks: string[] = [];
    const outcome = await exportQuery(database, sql, format, async (chunk) => void chunks.push(chunk), options);
    return { chunks, outcome };
  }

  it('json-document: one object; JSON columns as values with their exact text; ids stay strings', async () => {
    const text = (await chunksOf(TWO_ROWS, 'json-document')).chunks.join('');
    assert.equal(text, '{"columns":["workspaceId","n","requestParams"],"rows":[["9123456789012345678",12,{"big":12345678901234567890,"s":"x"}],["0",null,null]],"rowCount":2}\n');
    assert.deepEqual(JSON.parse(text).rows[0][2].s, 'x');
  });

  it('json-document: a JSON column holding text that is not JSON stays a string; chunks join into one document', async () => {
    const { chunks } = await chunksOf(MANY_ROWS, 'json-document', { chunkRows: 1000 });
    assert.ok(chunks.length > 1);
    const parsed = JSON.parse(chunks.join('')) as { rows: unknown[][]; rowCount: number };
    assert.equal(parsed.rows.length, 2500);
    assert.equal(parsed.rows[7]![2], 'not json');
    assert.deepEqual(parsed.rows[8]![2], [1]);
  });

  it('csv: header, empty field for NULL, JSON text quoted', async () => {
    const text = (await chunksOf(TWO_ROWS, 'csv')).chunks.join('');
    assert.equal(text, 'workspaceId,n,requestParams\n9123456789012345678,12,"{""big"":12345678901234567890,""s"":""x""}"\n0,,\n');
  });

  it('json: a JSON column holding text that is not JSON stays a string, so the array still parses', async () => {
    const parsed = JSON.parse((await chunksOf(MANY_ROWS, 'json')).chunks.join('')) as { requestParams: unknown }[];
    assert.equal(parsed.length, 2500);
    assert.equal(parsed[7]!.requestParams, 'not json');
    assert.deepEqual(parsed[8]!.requestParams, [1]);
  });

  it('maxRows: writes the first rows only, and counts every row the query produced', async () => {
    const { chunks, outcome } = await chunksOf(MANY_ROWS, 'json-document', { chunkRows: 300, maxRows: 1000 });
    assert.deepEqual(outcome, { rowCount: 1000, totalRows: 2500 });
    const parsed = JSON.parse(chunks.join('')) as { rows: unknown[][]; rowCount: number };
    assert.equal(parsed.rows.length, 1000);
    assert.equal(parsed.rowCount, 2500);
    const csv = (await chunksOf(MANY_ROWS, 'csv', { maxRows: 3 })).chunks.join('');
    assert.equal(csv, 'workspaceId,n,requestParams\n0,0,[1]\n1,1,[1]\n2,2,[1]\n');
  });
});
