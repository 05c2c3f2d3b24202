import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { SqlError } from '../../../../src/core/sql/dialect';
import { parseQuery } from '../../../../src/core/sql/query';
import { lexSpark, type LexedSql } from '../../../../src/shared/sql/lexer';
import { QuerySession } from '../../../../src/worker/query/client';
import { QUERY_WORKER_BUNDLE } from '../../../support/workers';

describe('a parsed query handed to the query thread', { timeout: 120_000 }, () => {
  let session: QuerySession;
  before(async () => {
    assert.ok(existsSync(QUERY_WORKER_BUNDLE), `${QUERY_WORKER_BUNDLE} is missing: run npm run build`);
    session = await QuerySession.open({ workerPath: QUERY_WORKER_BUNDLE });
  });
  after(async () => {
    await session.dispose();
  });

  it('runs from the tokens the host lexed, not from its text lexed again', async () => {
    // The tokens spell another literal than the text: the thread's answer shows which it read.
    const source = "SELECT 'jobs' AS service";
    const swapped: LexedSql = { source, tokens: lexSpark(source).tokens.map((t) => (t.text === "'jobs'" ? { ...t, text: "'hr'" } : t)) };
    const query = parseQuery(swapped);
    assert.deepEqual((await session.query(query)).rows, [['hr']]);
    const chunks: string[] = [];
    await session.exportQuery(query, 'csv', async (chunk) => {
      chunks.push(chunk);
    });
    assert.equal(chunks.join(''), 'service\nhr\n');
  });

  it('reports the SQL error of a query that does not lex, at its place', async () => {
    const query = parseQuery("SELECT 1;\nSELECT 'open");
    await assert.rejects(session.query(query), (error: unknown) => error instanceof SqlError && /line 2, column 8: unterminated string/.test(error.message));
  });
});
