import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exampleAnalyses } from '../../../src/core/analyses';
import { compileLineTest, compilePrefilter, deriveColumns, derivePrefilter, isSearchableName, isSearchablePrefix, isSearchableValue } from '../../../src/core/sql/pushdown';

const derive = (...sql: string[]) => derivePrefilter(sql);

describe('derivePrefilter: safe shapes', () => {
  it('reads serviceName = literal in both quote styles, any keyword and column case', () => {
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE serviceName = 'clusters'`), { serviceNames: ['clusters'] });
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE serviceName = "clusters"`), { serviceNames: ['clusters'] });
    assert.deepEqual(derive(`select * from AUDIT_LOGS where SERVICENAME == 'clusters'`), { serviceNames: ['clusters'] });
    assert.deepEqual(derive(`Select count(*) From audit_logs Where ServiceName = 'jobs' Group By actionName`), { serviceNames: ['jobs'] });
    assert.deepEqual(derive('SELECT * FROM `audit_logs` WHERE `serviceName` = "jobs"'), { serviceNames: ['jobs'] });
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE 'jobs' = serviceName`), { serviceNames: ['jobs'] });
  });

  it('decodes literals as the dialect does: doubled quotes, Spark backslash escapes in "…"', () => {
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE serviceName = 'it''s'`), { serviceNames: ["it's"] });
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE serviceName = "it\\'s"`), { serviceNames: ["it's"] });
    assert.equal(derive(`SELECT * FROM audit_logs WHERE serviceName = 'a\\tb'`), undefined, "'…' keeps the backslash, which JSON escapes");
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE serviceName = "a\\tb"`), undefined, 'a tab is escaped in JSON');
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE serviceName = "say \\"hi\\""`), undefined, 'a name with a quote has an escape of its own in JSON');
  });

  it('reads IN lists of literals, mixed quotes, and intersects several conjuncts', () => {
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE serviceName IN ('jobs', "clusters", 'jobs')`), { serviceNames: ['clusters', 'jobs'] });
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE serviceName IN ()`), { serviceNames: [] });
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE serviceName IN ('a', 'b') AND serviceName = 'b'`), { serviceNames: ['b'] });
  });

  it('finds the conjunct among others, with parentheses, functions and LIKE elsewhere', () => {
    const sql = `SELECT DISTINCT userIdentity.email, sourceIPAddress FROM audit_logs
      WHERE (timestamp > 5 OR timestamp IS NULL) AND lower(actionName) LIKE '%login%' AND serviceName = "accounts" AND response.statusCode = 200
      ORDER BY 1 LIMIT 10`;
    assert.deepEqual(derive(sql), { serviceNames: ['accounts'] });
  });

  it('passes over a conjunct whose sub-select reads no table (an empty list parameter), but not one that reads a table', () => {
    assert.deepEqual(derivePrefilter(["SELECT * FROM audit_logs WHERE serviceName = 'accounts' AND COALESCE(userIdentity.email, '') NOT IN (SELECT NULL WHERE 1 = 0)"]), { serviceNames: ['accounts'] });
    assert.equal(derivePrefilter(["SELECT * FROM audit_logs WHERE serviceName = 'accounts' AND userIdentity.email NOT IN (SELECT userIdentity.email FROM audit_logs WHERE serviceName = 'groups')"]), undefined);
    assert.equal(derivePrefilter(["SELECT * FROM audit_logs WHERE serviceName = 'accounts' AND x IN (SELECT 1 FROM other)"]), undefined);
  });

  it('accepts the table alias, with or without AS, and the table name as qualifier', () => {
    assert.deepEqual(derive(`SELECT a.actionName FROM audit_logs a WHERE a.serviceName = 'jobs'`), { serviceNames: ['jobs'] });
    assert.deepEqual(derive(`SELECT l.actionName FROM audit_logs AS l WHERE l.serviceName IN ('jobs') AND l.actionName = 'runNow'`), {
      serviceNames: ['jobs'],
      statements: [{ serviceNames: ['jobs'], actionNames: ['runNow'] }],
    });
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE audit_logs.serviceName = 'jobs'`), { serviceNames: ['jobs'] });
    assert.deepEqual(derive(`SELECT count(DISTINCT a.requestId) FROM audit_logs [a] WHERE [a].[serviceName] = 'jobs'`), { serviceNames: ['jobs'] });
  });

  it('narrows each statement by the action names it names', () => {
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE serviceName = 'clusters' AND actionName IN ('create', 'edit') AND actionName = 'edit'`), {
      serviceNames: ['clusters'],
      statements: [{ serviceNames: ['clusters'], actionNames: ['edit'] }],
    });
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE serviceName = 'a' AND actionName = 'x'`, `SELECT * FROM audit_logs WHERE serviceName = 'b'`), {
      serviceNames: ['a', 'b'],
      statements: [{ serviceNames: ['a'], actionNames: ['x'] }, { serviceNames: ['b'] }],
    });
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE serviceName = 'a' AND actionName IN ('x', '1')`), { serviceNames: ['a'] }, 'a number-like action is not searchable');
  });

  it('narrows by the literal runs of an actionName LIKE pattern that a text search can find', () => {
    const like = (pattern: string) => derive(`SELECT * FROM audit_logs WHERE actionName LIKE ${pattern} AND serviceName = 'accounts'`);
    assert.deepEqual(like(`"%login%"`), { serviceNames: ['accounts'], statements: [{ serviceNames: ['accounts'], actionContains: ['login'], actionLike: ['%login%'] }] });
    assert.deepEqual(like(`'token%Log_in'`), { serviceNames: ['accounts'], statements: [{ serviceNames: ['accounts'], actionContains: ['Log', 'in', 'token'], actionLike: ['token%Log_in'] }] });
    // Spark's default LIKE escape: 'tokenLogin\_%' needs the text tokenLogin_, which a text search cannot narrow by;
    // the pattern itself is kept (a notebook slice holds what it matches).
    assert.deepEqual(like(String.raw`'tokenLogin\_%'`), { serviceNames: ['accounts'], statements: [{ serviceNames: ['accounts'], actionLike: [String.raw`tokenLogin\_%`] }] });
    for (const pattern of [`'%'`, `'%12%'`, `'%e%'`, `'%Inf%'`, `'%a/b%'`, `'%a b%'`, `'%é%'`]) {
      assert.deepEqual(like(pattern), { serviceNames: ['accounts'], statements: [{ serviceNames: ['accounts'], actionLike: [pattern.slice(1, -1)] }] }, pattern);
      assert.equal(compileLineTest(like(pattern)!)!('{"serviceName":"accounts"}'), true, `${pattern} narrows no text search`);
    }
    for (const conjunct of [`actionName NOT LIKE '%login%'`, `actionName LIKE '%login%' ESCAPE '!'`, `lower(actionName) LIKE '%login%'`, `actionName GLOB '*login*'`]) {
      assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE serviceName = 'accounts' AND ${conjunct}`), { serviceNames: ['accounts'] }, conjunct);
    }
  });

  it('unions the statements of one text and of several texts (analyze runs three)', () => {
    assert.deepEqual(derive(`SELECT 1 FROM audit_logs WHERE serviceName = 'a'; SELECT 2 FROM audit_logs WHERE serviceName = 'b';`), { serviceNames: ['a', 'b'] });
    assert.deepEqual(derivePrefilter(exampleAnalyses.map((a) => a.sql)), {
      serviceNames: ['accounts', 'clusters', 'sqlPermissions'],
      statements: [
        { serviceNames: ['accounts'], actionContains: ['login'], actionLike: ['%login%'] },
        { serviceNames: ['clusters'], actionNames: ['create'] },
        { serviceNames: ['sqlPermissions'], actionNames: ['requestPermissions'] },
      ],
    });
  });
});

describe('derivePrefilter: a parenthesized OR of conjunctions', () => {
  it('splits the statement into one filter per branch, each with the other conjuncts', () => {
    assert.deepEqual(
      derive(`SELECT * FROM audit_logs WHERE ((serviceName = 'accounts' AND actionName = 'setAdmin')
        OR (serviceName = 'groups' AND actionName = 'addPrincipalToGroup' AND requestParams.parent_name = 'admins')
        OR serviceName IN ('iam', 'scim') AND actionName = 'x') AND sessionId = 'abc'`),
      {
        serviceNames: ['accounts', 'groups', 'iam', 'scim'],
        statements: [
          { serviceNames: ['accounts'], fields: [{ path: 'sessionId', values: ['abc'] }], actionNames: ['setAdmin'] },
          { serviceNames: ['groups'], fields: [{ path: 'requestParams.parent_name', values: ['admins'] }, { path: 'sessionId', values: ['abc'] }], actionNames: ['addPrincipalToGroup'] },
          { serviceNames: ['iam', 'scim'], fields: [{ path: 'sessionId', values: ['abc'] }], actionNames: ['x'] },
        ],
      },
    );
  });

  it('gives no prefilter when a branch names no service and nothing else does', () => {
    assert.equal(derive(`SELECT * FROM audit_logs WHERE ((serviceName = 'a' AND actionName = 'b') OR actionName = 'c')`), undefined);
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE ((serviceName = 'a' AND actionName = 'b') OR actionName = 'c') AND serviceName IN ('a', 'd')`), {
      serviceNames: ['a', 'd'],
      statements: [
        { serviceNames: ['a'], actionNames: ['b'] },
        { serviceNames: ['a', 'd'], actionNames: ['c'] },
      ],
    });
  });

  it('reads a branch it cannot split (BETWEEN, CASE) as no constraint at all', () => {
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE (timestamp BETWEEN 1 AND 2 OR actionName = 'c') AND serviceName = 'a'`), { serviceNames: ['a'] });
  });

  it('reads a key named like a SQL function (requestParams.changes) as a key; a call to changes() disqualifies', () => {
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE serviceName = 'a' AND requestParams.changes RLIKE 'x'`), { serviceNames: ['a'] });
    assert.equal(derive(`SELECT changes() FROM audit_logs WHERE serviceName = 'a'`), undefined);
  });
});

describe('derivePrefilter: field filters', () => {
  it('reads an equality or IN on any field read from the line, top-level or nested, as the only filter', () => {
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE userIdentity.email = 'alice@example.com'`), {
      statements: [{ fields: [{ path: 'userIdentity.email', values: ['alice@example.com'] }] }],
    });
    assert.deepEqual(derive(`SELECT * FROM audit_logs a WHERE a.sourceIPAddress IN ('10.0.0.1', "10.0.0.2") AND '7f3e-1' = a.SESSIONID AND requestParams.user = 'bob'`), {
      statements: [
        {
          fields: [
            { path: 'requestParams.user', values: ['bob'] },
            { path: 'sessionId', values: ['7f3e-1'] },
            { path: 'sourceIPAddress', values: ['10.0.0.1', '10.0.0.2'] },
          ],
        },
      ],
    });
    assert.deepEqual(derive('SELECT * FROM audit_logs WHERE audit_logs.`userIdentity`.`Email` = "x" AND response.errorMessage = \'denied\''), {
      statements: [{ fields: [{ path: 'response.errorMessage', values: ['denied'] }, { path: 'userIdentity.Email', values: ['x'] }] }],
    });
  });

  it('intersects conjuncts on one field and keeps the service and action filters beside the fields', () => {
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE requestId IN ('r1', 'r2') AND serviceName = 'jobs' AND requestId = 'r2' AND actionName = 'runNow'`), {
      serviceNames: ['jobs'],
      statements: [{ serviceNames: ['jobs'], fields: [{ path: 'requestId', values: ['r2'] }], actionNames: ['runNow'] }],
    });
  });

  it('reads a prefix LIKE on a field as a prefix filter, beside equalities, per statement', () => {
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE sourceIPAddress LIKE '10.0.0.1:%'`), { statements: [{ fieldPrefixes: [{ path: 'sourceIPAddress', prefix: '10.0.0.1:' }] }] });
    assert.deepEqual(derive(`SELECT * FROM system_access_audit a WHERE a.source_ip_address LIKE "[2001:db8::1]:%" AND user_identity.email = 'x@y.z' AND timestamp > 5`), {
      statements: [{ fields: [{ path: 'userIdentity.email', values: ['x@y.z'] }], fieldPrefixes: [{ path: 'sourceIPAddress', prefix: '[2001:db8::1]:' }] }],
    });
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE sourceIPAddress = '10.0.0.1'`, `SELECT * FROM audit_logs WHERE serviceName = 'jobs' AND sourceIPAddress LIKE '10.0.0.1:%'`), {
      statements: [{ fields: [{ path: 'sourceIPAddress', values: ['10.0.0.1'] }] }, { serviceNames: ['jobs'], fieldPrefixes: [{ path: 'sourceIPAddress', prefix: '10.0.0.1:' }] }],
    });
  });

  it('reads no prefix from a pattern that is not one, or from a prefix a text search cannot find', () => {
    for (const pattern of ['10.0.0.1', '%10.0.0.1', '10.0.0.1:%%', '10._.0.1%', '10.0\\.0.1%', '%', '1.0e+%', 'In%', 'tr%', '[1%', 'a/b%']) {
      assert.equal(derive(`SELECT * FROM audit_logs WHERE sourceIPAddress LIKE '${pattern}'`), undefined, pattern);
      assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE serviceName = 'jobs' AND sessionId LIKE '${pattern}'`), { serviceNames: ['jobs'] }, pattern);
    }
    assert.equal(derive(`SELECT * FROM audit_logs WHERE sourceIPAddress NOT LIKE '10.0.0.1:%'`), undefined);
    assert.equal(derive(`SELECT * FROM audit_logs WHERE sourceIPAddress LIKE '10.0.0.1:%' ESCAPE '!'`), undefined);
    assert.equal(derive(`SELECT * FROM audit_logs WHERE sourceIPAddress ILIKE '10.0.0.1:%'`), undefined);
  });

  it('keeps a service filter alone when a field value cannot be searched', () => {
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE serviceName = 'jobs' AND sessionId IN ('abc', '1e2')`), { serviceNames: ['jobs'] });
  });

  it('reads the system-table view by its own names', () => {
    assert.deepEqual(derive(`SELECT * FROM system_access_audit WHERE service_name = 'accounts'`), { serviceNames: ['accounts'] });
    assert.deepEqual(derive(`SELECT * FROM system_access_audit WHERE system_access_audit.service_name = 'accounts' AND system_access_audit.action_name = 'login'`), {
      serviceNames: ['accounts'],
      statements: [{ serviceNames: ['accounts'], actionNames: ['login'] }],
    });
    assert.deepEqual(
      derive(`SELECT * FROM system_access_audit s WHERE s.user_identity.email = 'a@b.c' AND source_ip_address = '10.1.2.3' AND request_params.user = 'u' AND response.error_message = 'e' AND session_id = 's1' AND request_id = 'r1'`),
      {
        statements: [
          {
            fields: [
              { path: 'requestId', values: ['r1'] },
              { path: 'requestParams.user', values: ['u'] },
              { path: 'response.errorMessage', values: ['e'] },
              { path: 'sessionId', values: ['s1'] },
              { path: 'sourceIPAddress', values: ['10.1.2.3'] },
              { path: 'userIdentity.email', values: ['a@b.c'] },
            ],
          },
        ],
      },
    );
  });

  it('unions a field-only statement with a service statement: no service list then', () => {
    assert.deepEqual(derive(`SELECT * FROM audit_logs WHERE serviceName = 'a'`, `SELECT * FROM audit_logs WHERE userAgent = 'UA'`), {
      statements: [{ serviceNames: ['a'] }, { fields: [{ path: 'userAgent', values: ['UA'] }] }],
    });
  });
});

describe('derivePrefilter: every unsafe shape gives no prefilter', () => {
  const unsafe: [string, string][] = [
    ['no WHERE', `SELECT * FROM audit_logs`],
    ['no serviceName conjunct', `SELECT * FROM audit_logs WHERE actionName = 'create'`],
    ['OR at the top', `SELECT * FROM audit_logs WHERE serviceName = 'a' OR actionName = 'b'`],
    ['OR after it', `SELECT * FROM audit_logs WHERE actionName = 'b' AND serviceName = 'a' OR 1`],
    ['BETWEEN … AND', `SELECT * FROM audit_logs WHERE timestamp BETWEEN 1 AND serviceName = 'a'`],
    ['CASE … AND', `SELECT * FROM audit_logs WHERE CASE WHEN 1 AND serviceName = 'a' THEN 1 END`],
    ['NOT', `SELECT * FROM audit_logs WHERE NOT serviceName = 'a'`],
    ['NOT IN', `SELECT * FROM audit_logs WHERE serviceName NOT IN ('a')`],
    ['inequality', `SELECT * FROM audit_logs WHERE serviceName != 'a'`],
    ['function on the column', `SELECT * FROM audit_logs WHERE lower(serviceName) = 'a'`],
    ['COLLATE on the column', `SELECT * FROM audit_logs WHERE serviceName COLLATE NOCASE = 'a'`],
    ['COLLATE on the literal', `SELECT * FROM audit_logs WHERE serviceName = 'a' COLLATE NOCASE`],
    ['LIKE', `SELECT * FROM audit_logs WHERE serviceName LIKE 'a'`],
    ['IS', `SELECT * FROM audit_logs WHERE serviceName IS 'a'`],
    ['concatenation', `SELECT * FROM audit_logs WHERE serviceName = 'a' || 'b'`],
    ['number literal', `SELECT * FROM audit_logs WHERE serviceName = 5`],
    ['IN with an expression', `SELECT * FROM audit_logs WHERE serviceName IN ('a', upper('b'))`],
    ['positional parameter', `SELECT * FROM audit_logs WHERE serviceName = ?`],
    ['named parameter', `SELECT * FROM audit_logs WHERE serviceName = 'a' AND actionName = :action`],
    ['a "double-quoted" column is a Spark string', `SELECT * FROM audit_logs WHERE "serviceName" = 'a'`],
    ['another qualifier', `SELECT * FROM audit_logs a WHERE b.serviceName = 'a'`],
    ['a JSON column as alias', `SELECT * FROM audit_logs requestParams WHERE requestParams.serviceName = 'a'`],
    ['JOIN', `SELECT * FROM audit_logs a JOIN audit_logs b ON a.requestId = b.requestId WHERE a.serviceName = 'a'`],
    ['comma join', `SELECT * FROM audit_logs a, audit_errors e WHERE a.serviceName = 'a'`],
    ['subquery in WHERE', `SELECT * FROM audit_logs WHERE serviceName = 'a' AND requestId IN (SELECT requestId FROM audit_logs)`],
    ['subquery in the SELECT list', `SELECT (SELECT count(*) FROM audit_logs) FROM audit_logs WHERE serviceName = 'a'`],
    ['subquery in FROM', `SELECT * FROM (SELECT * FROM audit_logs) WHERE serviceName = 'a'`],
    ['CTE', `WITH x AS (SELECT * FROM audit_logs) SELECT * FROM audit_logs WHERE serviceName = 'a'`],
    ['UNION', `SELECT * FROM audit_logs WHERE serviceName = 'a' UNION SELECT * FROM audit_logs WHERE serviceName = 'b'`],
    ['UNION ALL with VALUES', `SELECT serviceName FROM audit_logs WHERE serviceName = 'a' UNION ALL VALUES ('z')`],
    ['EXCEPT', `SELECT * FROM audit_logs WHERE serviceName = 'a' EXCEPT SELECT 1`],
    ['another table', `SELECT * FROM audit_errors WHERE serviceName = 'a'`],
    ['the system-table view named beside audit_logs', `SELECT * FROM audit_logs WHERE serviceName = 'a' AND system_access_audit.service_name = 'a'`],
    ['the system table by its Databricks name beside audit_logs', `SELECT * FROM audit_logs WHERE serviceName = 'a' AND system.access.audit.service_name = 'a'`],
    ['a field only, with a number-like value', `SELECT * FROM audit_logs WHERE sessionId = '123'`],
    ['a field only, with a value that needs an escape', `SELECT * FROM audit_logs WHERE userAgent = 'curl/8.0'`],
    ['a field that comes from the folder, not the line', `SELECT * FROM audit_logs WHERE workspaceId = 'ws1'`],
    ['the date from the folder', `SELECT * FROM audit_logs WHERE date = '2026-01-01'`],
    ['a field of the view it computes', `SELECT * FROM system_access_audit WHERE event_date = '2026-01-01'`],
    ['a key of the view it does not rebuild from the line', `SELECT * FROM system_access_audit WHERE user_identity.subject_name = 'a'`],
    ['a key under a column that is not JSON', `SELECT * FROM audit_logs WHERE sessionId.x = 'a'`],
    ['a field of another qualifier', `SELECT * FROM audit_logs a WHERE b.userIdentity.email = 'a@b.c'`],
    ['a field compared to a number', `SELECT * FROM audit_logs WHERE response.statusCode = 200`],
    ['a field beside a statement without a filter', `SELECT * FROM audit_logs WHERE sessionId = 'abc'; SELECT count(*) FROM audit_logs`],
    ['a schema-qualified table', `SELECT * FROM main.audit_logs WHERE serviceName = 'a'`],
    ['INDEXED BY', `SELECT * FROM audit_logs INDEXED BY audit_logs_service_action WHERE serviceName = 'a'`],
    ['IS DISTINCT FROM', `SELECT 1 IS DISTINCT FROM audit_logs WHERE serviceName = 'a'`],
    ['IS NOT DISTINCT FROM', `SELECT actionName IS NOT DISTINCT FROM 'x' FROM audit_logs WHERE serviceName = 'a'`],
    ['rowid, which changes when fewer rows load', `SELECT rowid FROM audit_logs WHERE serviceName = 'a'`],
    ['PRAGMA', `PRAGMA case_sensitive_like = OFF; SELECT * FROM audit_logs WHERE serviceName = 'a'`],
    ['a statement that mutates', `DELETE FROM audit_logs WHERE serviceName = 'b'; SELECT * FROM audit_logs WHERE serviceName = 'a'`],
    ['INSERT … SELECT', `INSERT INTO audit_logs SELECT * FROM audit_logs WHERE serviceName = 'a'`],
    ['EXPLAIN', `EXPLAIN SELECT * FROM audit_logs WHERE serviceName = 'a'`],
    ['a statement without a filter next to one with it', `SELECT * FROM audit_logs WHERE serviceName = 'a'; SELECT count(*) FROM audit_logs`],
    ['SQL that does not tokenize', `SELECT * FROM audit_logs WHERE serviceName = 'a`],
    ['an unknown character', `SELECT * FROM audit_logs WHERE serviceName = 'a' AND # 1`],
    ['empty SQL', `  ;  `],
    ['a name that could be a number', `SELECT * FROM audit_logs WHERE serviceName = '1'`],
    ['a name with a slash (JSON may escape it as \\/)', `SELECT * FROM audit_logs WHERE serviceName = 'a/b'`],
    ['a name that could be an array', `SELECT * FROM audit_logs WHERE serviceName = '[1,2]'`],
  ];
  for (const [what, sql] of unsafe) {
    it(what, () => assert.equal(derive(sql), undefined, sql));
  }

  it('no SQL at all', () => assert.equal(derivePrefilter([]), undefined));
  it('one unsafe text among safe ones', () =>
    assert.equal(derive(`SELECT * FROM audit_logs WHERE serviceName = 'a'`, `SELECT * FROM audit_logs WHERE serviceName = 'b' OR 1`), undefined));
});

describe('compileLineTest', () => {
  const line = (record: Record<string, unknown>) => JSON.stringify(record);

  it('passes lines that spell a name and rejects those that spell none', () => {
    const test = compileLineTest({ serviceNames: ['clusters', 'jobs'] })!;
    assert.equal(test(line({ serviceName: 'clusters', actionName: 'create' })), true);
    assert.equal(test(line({ serviceName: 'jobs' })), true);
    assert.equal(test(line({ serviceName: 'accounts' })), false);
  });

  it('passes every line holding a \\u escape, which could spell the name', () => {
    const test = compileLineTest({ serviceNames: ['clusters'] })!;
    assert.equal(test('{"serviceName":"\\u0063lusters"}'), true);
    assert.equal(test('{"serviceName":"accounts","x":"\\u00e9"}'), true);
    assert.equal(test('{"serviceName":"accounts","x":"\\n"}'), false);
  });

  it('with statements, passes a line that may match any one of them', () => {
    const test = compileLineTest({
      serviceNames: ['accounts', 'clusters'],
      statements: [
        { serviceNames: ['clusters'], actionNames: ['create', 'edit'] },
        { serviceNames: ['accounts'], actionContains: ['Log', 'in'] },
      ],
    })!;
    assert.equal(test(line({ serviceName: 'clusters', actionName: 'create' })), true);
    assert.equal(test(line({ serviceName: 'clusters', actionName: 'delete' })), false);
    assert.equal(test(line({ serviceName: 'accounts', actionName: 'samlLogin' })), true);
    assert.equal(test(line({ serviceName: 'accounts', actionName: 'logout' })), false);
    assert.equal(test(line({ serviceName: 'accounts', actionName: 'x', note: 'Log in' })), true, 'a text test, confirmed by the query');
    assert.equal(test(line({ serviceName: 'jobs', actionName: 'create' })), false);
  });

  it('refuses service names it cannot search soundly, and ignores such action names and texts', () => {
    for (const name of ['1', '-2', '100.0', 'Inf', '[1]', '{"a":1}', 'a"b', 'a\\b', 'a/b', 'a\nb', ' x']) {
      assert.equal(isSearchableName(name), false, name);
      assert.equal(compileLineTest({ serviceNames: [name] }), undefined, name);
      assert.equal(compileLineTest({ serviceNames: ['a'], statements: [{ serviceNames: [name] }] }), undefined, name);
    }
    const test = compileLineTest({ serviceNames: ['clusters'], statements: [{ serviceNames: ['clusters'], actionNames: ['1'], actionContains: ['100', 'e', 'x/y'] }] })!;
    assert.equal(test(line({ serviceName: 'clusters', actionName: true })), true);
    assert.equal(test(line({ serviceName: 'clusters', actionName: 1e2 })), true);
    assert.equal(test(line({ serviceName: 'jobs', actionName: 1 })), false);
  });
});

describe('compileLineTest with field filters', () => {
  const line = (record: Record<string, unknown>) => JSON.stringify(record);

  it('passes a line that holds one of each field filter\'s values, with or without a service', () => {
    const test = compileLineTest({ statements: [{ fields: [{ path: 'userIdentity.email', values: ['a@b.c', 'd@e.f'] }, { path: 'sourceIPAddress', values: ['10.0.0.1'] }] }] })!;
    assert.equal(test(line({ userIdentity: { email: 'd@e.f' }, sourceIPAddress: '10.0.0.1' })), true);
    assert.equal(test(line({ userIdentity: { email: 'A@b.c' }, sourceIPAddress: '10.0.0.1' })), false, 'case is significant');
    assert.equal(test(line({ userIdentity: { email: 'a@b.c' }, sourceIPAddress: '10.0.0.2' })), false);
    assert.equal(test('{"userIdentity":{"email":"a\\u0040b.c"},"sourceIPAddress":"10.0.0.1"}'), true, 'a \\u escape may spell it');
    const withService = compileLineTest({ serviceNames: ['jobs'], statements: [{ serviceNames: ['jobs'], fields: [{ path: 'sessionId', values: ['s1'] }] }] })!;
    assert.equal(withService(line({ serviceName: 'jobs', sessionId: 's1' })), true);
    assert.equal(withService(line({ serviceName: 'clusters', sessionId: 's1' })), false);
  });

  it('needs a searchable field the record holds, or a service, for each statement', () => {
    assert.equal(compileLineTest({ statements: [{ fields: [{ path: 'sessionId', values: ['1'] }] }] }), undefined);
    assert.equal(compileLineTest({ statements: [{ fields: [{ path: 'workspaceId', values: ['ws1'] }] }] }), undefined, 'from the folder, not the line');
    assert.equal(compileLineTest({ statements: [{}] }), undefined);
    assert.equal(compileLineTest({ statements: [] })!('{"a":1}'), false, 'no statement reads any line');
  });

  it('searches values that start with digits but cannot be a number, and nothing a non-string may load as', () => {
    for (const value of ['10.0.0.1', '123e4567-e89b-12d3', 'a@b.c', 'é', '1a', 'Infinite']) assert.equal(isSearchableValue(value), true, value);
    for (const value of ['', '1', '-2', '1.5', '.5', '1e2', '1E+21', '100.0', 'Inf', '-Infinity', 'NaN', 'true', 'FALSE', 'null', '[1]', '{}', 'a/b', 'a"b', 'a\\b', 'a\nb']) {
      assert.equal(isSearchableValue(value), false, value);
    }
  });
});

describe('field prefix filters', () => {
  const prefilter = { statements: [{ fieldPrefixes: [{ path: 'sourceIPAddress', prefix: '10.0.0.1:' }] }] };

  it('passes a line holding the prefix or a \\u escape, and rejects the others', () => {
    const test = compileLineTest(prefilter)!;
    assert.equal(test(JSON.stringify({ sourceIPAddress: '10.0.0.1:52344' })), true);
    assert.equal(test(JSON.stringify({ sourceIPAddress: '10.0.0.1' })), false);
    assert.equal(test(JSON.stringify({ sourceIPAddress: '10.0.0.10:1' })), false);
    assert.equal(test('{"sourceIPAddress":"10.0.0.1\\u003a1"}'), true, 'a \\u escape may spell it');
  });

  it('admits a parsed record whose value starts with the prefix, case and all, and one only SQLite can read', () => {
    const compiled = compilePrefilter(prefilter)!;
    const matches = (value: string | null | undefined) => compiled.recordMatches('jobs', 'x', () => value);
    assert.equal(matches('10.0.0.1:52344'), true);
    assert.equal(matches('10.0.0.1:'), true);
    assert.equal(matches('10.0.0.1'), false);
    assert.equal(matches('x10.0.0.1:1'), false);
    assert.equal(matches(null), false, 'LIKE on NULL selects nothing');
    assert.equal(matches(undefined), true, 'another type: only SQLite can tell');
    const cased = compilePrefilter({ statements: [{ fieldPrefixes: [{ path: 'sessionId', prefix: 'Ab' }] }] })!;
    assert.equal(cased.recordMatches('jobs', 'x', () => 'ab-1'), false, "Spark's LIKE is case-sensitive");
  });

  it('searches a prefix only when no number, boolean or re-serialized JSON can start with it', () => {
    for (const prefix of ['10.0.0.1:', '[2001:db8::1]:', 'a', 'Ix', '-x', 'é']) assert.equal(isSearchablePrefix(prefix), true, prefix);
    for (const prefix of ['', '1', '10.', '1.0e+', '-', 'I', 'inf', '-Infin', 'Na', 'tr', 'f', 'nu', '[1', '[2001', '{', 'a/', 'a"']) assert.equal(isSearchablePrefix(prefix), false, prefix);
    assert.equal(isSearchableValue('[2001:db8::1]:443'), true, 'no array or object re-serializes with a colon and no quote');
  });
});

describe('deriveColumns', () => {
  it('keeps the record fields a query names, by any spelling, in table order', () => {
    assert.deepEqual(deriveColumns(['SELECT DISTINCT userIdentity.email, sourceIPAddress FROM audit_logs WHERE serviceName = "accounts" AND actionName LIKE "%login%"']), ['sourceIPAddress', 'userIdentity', 'serviceName', 'actionName']);
    assert.deepEqual(deriveColumns(['SELECT `REQUESTPARAMS`.spark_version, COUNT(*) FROM audit_logs a WHERE a.servicename = "clusters"']), ['serviceName', 'requestParams']);
    assert.deepEqual(deriveColumns(['SELECT count(*) FROM audit_logs', 'SELECT get_json_object(response, "$.statusCode") FROM audit_logs']), ['response']);
    // A string that spells a field keeps it too: it may reach SQLite as a name.
    assert.deepEqual(deriveColumns([`SELECT count(*) FROM audit_logs WHERE 'userAgent' = 'x'`]), ['userAgent']);
  });

  it('keeps every field when a query may read fields it does not name', () => {
    for (const sql of [
      'SELECT * FROM audit_logs',
      'SELECT a.* FROM audit_logs a',
      'SELECT to_json(struct(*)) FROM audit_logs',
      'SELECT timestamp * 2 FROM audit_logs',
      'SELECT * FROM audit_logs NATURAL JOIN other',
      'SELECT user_identity FROM system_access_audit',
      'SELECT user_identity FROM system.access.audit',
      'SELECT a.user_identity FROM `system`.`access`.`audit` a',
      "SELECT 'unterminated FROM audit_logs",
    ]) {
      assert.equal(deriveColumns([sql]), undefined, sql);
    }
  });
});
