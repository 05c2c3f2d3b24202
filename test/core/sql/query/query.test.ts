import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { warehouseStatement } from '../../../../src/core/databricks/statement';
import { AuditDatabase } from '../../../../src/core/sql/database';
import { translateSparkSql } from '../../../../src/core/sql/dialect';
import { parseQuery } from '../../../../src/core/sql/query';
import { sortedQuery } from '../../../../src/core/sql/sortedQuery';
import { lexedOf, lexSpark, SqlLexError, tokenize, type LexedSql } from '../../../../src/shared/sql/lexer';

/** The error strict lexing throws, or undefined. */
function strictError(sql: string): { offset: number; message: string } | undefined {
  try {
    tokenize(sql, { backslashEscapes: true });
    return undefined;
  } catch (error) {
    assert.ok(error instanceof SqlLexError);
    return { offset: error.offset, message: error.message };
  }
}

/** What a thrown error says, for comparing two ways to the same failure. */
function thrown(work: () => unknown): string {
  try {
    work();
  } catch (error) {
    return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  return 'nothing thrown';
}

describe('one parsed query', () => {
  it('reads each statement: its span, the tables it reads, whether it writes, the session objects it touches', () => {
    const sql = "SELECT a.x FROM audit_logs a JOIN main.`other` o ON a.x = o.x;; -- none\nWITH t AS (SELECT 1) INSERT INTO mine SELECT * FROM t;\nDROP TABLE IF EXISTS main.audit_logs";
    const query = parseQuery(sql);
    assert.equal(query.problem, undefined);
    assert.deepEqual(
      query.statements.map((s) => ({ text: sql.slice(s.start, s.end), reads: s.reads, writes: s.writes, own: s.ownObject })),
      [
        { text: 'SELECT a.x FROM audit_logs a JOIN main.`other` o ON a.x = o.x;', reads: ['audit_logs', 'main.other'], writes: false, own: undefined },
        { text: 'WITH t AS (SELECT 1) INSERT INTO mine SELECT * FROM t;', reads: ['t'], writes: true, own: undefined },
        { text: 'DROP TABLE IF EXISTS main.audit_logs', reads: [], writes: true, own: 'audit_logs' },
      ],
    );
    assert.deepEqual(query.statements[1]!.tokens.map((t) => t.text).slice(0, 3), ['WITH', 't', 'AS']);
  });

  it('gives the same tokens as strict lexing, and the error strict lexing throws, from one pass', () => {
    for (const sql of ["SELECT 'it''s', x'0a', 1.5e3, 10L FROM t -- c", "SELECT 'open", 'SELECT 12abc', "SELECT x'0g'", 'SELECT 1 # 2', 'SELECT /* open', 'SELECT `open']) {
      const lexed = lexSpark(sql);
      assert.deepEqual(lexed.problem, strictError(sql), sql);
      if (lexed.problem === undefined) assert.deepEqual(lexed.tokens, tokenize(sql, { backslashEscapes: true }), sql);
      assert.equal(lexed.tokens.map((t) => t.text).join(''), sql, 'the tokens cover the text');
    }
  });

  it('fails its translation as the text does, and has no statements, when the SQL does not lex', () => {
    const sql = "SELECT 1;\nSELECT 'open";
    const query = parseQuery(sql);
    assert.deepEqual(query.statements, []);
    assert.equal(thrown(() => query.translation()), thrown(() => translateSparkSql(sql)));
    assert.match(thrown(() => query.translation()), /SqlError: SQL error at line 2, column 8: unterminated string/);
    assert.deepEqual(query.pushdown(), {});
  });

  it('places each statement in the translation, past empty statements and around rewritten text', () => {
    const sql = "SELECT requestParams.a AS v FROM audit_logs;;\n  SELECT 'x' RLIKE 'y' AS m; -- end\n";
    const translation = parseQuery(sql).translation();
    assert.deepEqual(
      translation.statements.map((s) => translation.sql.slice(s.start, s.end)),
      [
        `SELECT CASE json_type(requestParams, '$."a"') WHEN 'text' THEN json_extract(requestParams, '$."a"') WHEN 'null' THEN NULL ELSE requestParams -> '$."a"' END AS v FROM audit_logs;`,
        "SELECT 'x' REGEXP 'y' AS m;",
      ],
    );
  });

  it('works its translation and pushdown out once', () => {
    const query = parseQuery("SELECT actionName FROM audit_logs WHERE serviceName = 'jobs'");
    assert.equal(query.translation(), query.translation());
    assert.equal(query.pushdown(), query.pushdown());
    assert.deepEqual(query.pushdown(), { prefilter: { serviceNames: ['jobs'] }, columns: ['serviceName', 'actionName'], hotColumns: [] });
  });

  it('is lexed once: every reader takes its tokens and none lexes the text again', async () => {
    // Tokens of the text with one literal swapped: a reader that lexed the text again would see 'jobs'.
    const source = "SELECT 'jobs' AS service FROM audit_logs WHERE serviceName = 'jobs'";
    const lexed = lexSpark(source);
    const swapped: LexedSql = { source, tokens: lexed.tokens.map((t) => (t.text === "'jobs'" ? { ...t, text: "'hr'" } : t)) };
    const query = parseQuery(swapped);
    assert.deepEqual(query.pushdown().prefilter, { serviceNames: ['hr'] });
    assert.match(query.translation().sql, /SELECT 'hr' AS service FROM audit_logs WHERE serviceName = 'hr'/);
    assert.match(warehouseStatement(query, { sources: [], auditTable: 'c.s.t' }).statement, /SELECT 'hr' AS service FROM audit_logs WHERE serviceName = 'hr'$/);
    assert.match(sortedQuery(query, { column: 0, direction: 'asc' }), /^SELECT \* FROM \(\nSELECT 'hr' AS service/);
    const database = await AuditDatabase.open();
    try {
      assert.deepEqual(database.query(query).rows, []);
      assert.deepEqual(database.query(parseQuery({ source: "SELECT 'jobs' AS service", tokens: lexSpark("SELECT 'hr'   AS service").tokens })).rows, [['hr']]);
    } finally {
      database.close();
    }
  });

  it('crosses to a thread as plain data and parses there without its text lexed again', () => {
    const query = parseQuery("SELECT 1 AS one; SELECT 'a\\'b' AS two");
    const copy = structuredClone(lexedOf(query));
    const again = parseQuery(copy);
    assert.equal(again.translation().sql, query.translation().sql);
    assert.deepEqual(again.statements, query.statements);
  });
});
