/**
 * Differential test of query-driven pruning: a few hundred generated queries, safe and unsafe
 * shapes mixed (service and action filters, and identity filters on any field, on audit_logs and
 * on the system_access_audit view), and every analysis of the library answer exactly the same over
 * a generated tree loaded with the prefilter derived from each query, with and without the scan's
 * line index, as over the tree loaded whole. Only the few latest loads stay open.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, it } from 'node:test';
import { generateDeliveryFiles, generateTree, Random, type GenerateOptions } from '../../support/generate';
import { AuditDatabase, type QueryResult } from '../../../src/core/sql/database';
import { likePattern } from '../../../src/core/sql/functions';
import { loadIntoDatabase, type LoadSummary } from '../../../src/core/sql/loader';
import { compileLineTest, derivePrefilter, derivePushdown, type LinePrefilter, type Pushdown } from '../../../src/core/sql/pushdown';
import { analyses } from '../../../src/core/analyses';
import { ScanCache, scanFiles } from '../../../src/core/scan';
import { afterLoading, NOTHING_LOADED, sliceNeed, type LoadedSlices } from '../../../src/core/sql/slices';
import { LocalFolderSource } from '../../../src/core/sources';
import { aRecord } from '../../support/deliveryTree';

const OPTIONS: GenerateOptions = { seed: 'pushdown-differential', workspaces: 2, days: 2, startDate: '2024-02-01', recordsPerDay: 150 };
const QUERIES = 300;
const BUDGET = { maxRows: 100_000 };

let root: string;
let full: AuditDatabase;
let fullSummary: LoadSummary;
/** Loads by key, oldest first; each is a database of its own, so only the latest few stay open. */
const pruned = new Map<string, { database: AuditDatabase; summary: LoadSummary }>();
const OPEN_LOADS = 4;
let cacheDirectory: string;
let services: string[];
let actions: string[];
/** Identity values the generated records hold, by the field that holds them. */
let identities: { emails: string[]; ips: string[]; sessions: string[]; requests: string[]; users: string[] };

/** Records the generator does not write: escaped names, near-miss names, a name only in a parameter, bad lines. */
function oddLines(): string[] {
  const escapedClusters = JSON.stringify(aRecord({ serviceName: 'clusters', actionName: 'create', requestParams: { spark_version: 'escaped' } }))
    .replace('"clusters"', '"\\u0063lusters"')
    .replace('"create"', '"\\u0063reate"');
  return [
    escapedClusters,
    JSON.stringify(aRecord({ serviceName: 'Clusters', actionName: 'create' })),
    JSON.stringify(aRecord({ serviceName: 'jobs', actionName: 'create', requestParams: { note: 'clusters create accounts' } })),
    '{"serviceName":"jobs", truncated',
    'not json at all',
    '["clusters"]',
    ...identityOddLines(),
  ];
}

/**
 * Identity values spelled as the generator never spells them: `\u` escapes, `\/`, case variants,
 * numbers and booleans where strings belong, a value only in another field.
 */
function identityOddLines(): string[] {
  const record = (fields: Record<string, unknown>) => JSON.stringify({ ...aRecord({ serviceName: 'accounts', actionName: 'login' }), ...fields });
  return [
    record({ userIdentity: { email: 'odd@example.com' }, sourceIPAddress: '10.9.9.9', sessionId: 'odd-session' }),
    record({ userIdentity: { email: 'odd@example.com' }, sessionId: 'odd-session', serviceName: 'clusters', actionName: 'create' }).replace('"odd@example.com"', '"odd\\u0040example.com"'),
    record({ userIdentity: { email: 'Odd@Example.com' }, sourceIPAddress: '10.9.9.9' }),
    record({ userIdentity: { email: 'odd@example.com' }, userAgent: 'curl/8.0' }).replace('"curl/8.0"', '"curl\\/8.0"'),
    record({ userIdentity: { email: 'someone@example.com' }, requestParams: { user: 'odd@example.com' } }),
    record({ userIdentity: { email: 1e2 }, sessionId: 123, requestParams: { num_workers: 2, user: true } }),
    record({ userIdentity: { email: '100.0' }, sessionId: '123', requestParams: { num_workers: '2', user: 'true' } }),
    record({ userIdentity: null, sourceIPAddress: '10.9.9.9', requestId: 'odd-request' }),
    record({ requestId: 'odd-request', response: { statusCode: 403, errorMessage: 'odd denied', result: null } }),
    record({ userIdentity: { email: 'odd@example.com' }, sourceIPAddress: '10.9.9.9:52344', sessionId: 'odd-session-2' }),
    record({ sourceIPAddress: '10.9.9.90:443' }),
    record({ sourceIPAddress: '[2001:db8::1]:443' }),
    record({ sourceIPAddress: '2001:db8::1' }),
    record({ sourceIPAddress: '10.9.9.9:1' }).replace('"10.9.9.9:1"', '"10.9.9.9\\u003a1"'),
    record({ sourceIPAddress: 1e20, sessionId: true }),
    record({ sourceIPAddress: ['10.9.9.9:5'], sessionId: { odd: 'session' } }),
    '{"userIdentity":{"email":"odd@example.com"}, truncated',
  ];
}

before(async () => {
  root = mkdtempSync(path.join(tmpdir(), 'audit-lens-pushdown-'));
  await generateTree(root, OPTIONS);
  writeFileSync(path.join(root, 'workspaceId=0', 'date=2024-02-01', 'auditlogs_odd.json'), oddLines().join('\n') + '\n');
  // A line that is not UTF-8 leaves its file without a line index: that file is read whole.
  const clusters = Buffer.from(JSON.stringify(aRecord({ serviceName: 'clusters', actionName: 'create' })) + '\n');
  writeFileSync(path.join(root, 'workspaceId=0', 'date=2024-02-02', 'auditlogs_latin1.json'), Buffer.concat([clusters, Buffer.from([0x7b, 0xe9, 0x7d, 0x0a]), clusters]));
  cacheDirectory = mkdtempSync(path.join(tmpdir(), 'audit-lens-pushdown-cache-'));
  const source = new LocalFolderSource(root);
  const scanned = await scanFiles(source, await source.listFiles(), { cache: new ScanCache(cacheDirectory) });
  assert.equal(scanned.scanned.length, (await source.listFiles()).length);
  const records = [...generateDeliveryFiles(OPTIONS)].flatMap((f) => f.records);
  services = [...new Set(records.map((r) => r.serviceName))].sort();
  actions = [...new Set(records.map((r) => r.actionName))].sort();
  const distinct = (values: (string | null | undefined)[]) => [...new Set(values.filter((v): v is string => typeof v === 'string'))].sort();
  identities = {
    emails: distinct(records.map((r) => r.userIdentity?.email)),
    ips: distinct(records.map((r) => r.sourceIPAddress)),
    sessions: distinct(records.map((r) => r.sessionId)),
    requests: distinct(records.map((r) => r.requestId)),
    users: distinct(records.map((r) => r.requestParams?.user)),
  };
  full = await AuditDatabase.open();
  fullSummary = await loadIntoDatabase(full, { sources: [root] }, BUDGET);
});

after(() => {
  full?.close();
  for (const { database } of pruned.values()) database.close();
  if (root) rmSync(root, { recursive: true, force: true });
  if (cacheDirectory) rmSync(cacheDirectory, { recursive: true, force: true });
});

async function loadedWith(prefilter: LinePrefilter | undefined, indexed = false, columns?: string[]): Promise<{ database: AuditDatabase; summary: LoadSummary }> {
  const key = JSON.stringify([prefilter, indexed, columns]);
  let entry = pruned.get(key);
  if (entry) {
    pruned.delete(key);
  } else {
    const database = await AuditDatabase.open();
    const request = { sources: [root], ...(prefilter ? { prefilter } : {}), ...(columns ? { columns } : {}), ...(indexed ? { scanCacheDirectory: cacheDirectory } : {}) };
    entry = { database, summary: await loadIntoDatabase(database, request, BUDGET) };
  }
  pruned.set(key, entry);
  for (const [oldest, { database }] of pruned) {
    if (pruned.size <= OPEN_LOADS) break;
    database.close();
    pruned.delete(oldest);
  }
  return entry;
}

/** Rows as comparable text; order kept only where the query fixes it. */
function answer(result: QueryResult, ordered: boolean): { columns: string[]; rows: string[] } {
  const rows = result.rows.map((row) => JSON.stringify(row, (_, v: unknown) => (v instanceof Uint8Array ? [...v] : v)));
  return { columns: result.columns, rows: ordered ? rows : rows.sort() };
}

interface GeneratedQuery {
  sql: string;
  ordered: boolean;
}

/** Of QUERIES generated queries, those a prefilter can prune: each with it and the whole tree's answer. */
function* prunableQueries(next: () => GeneratedQuery): Generator<GeneratedQuery & { prefilter: LinePrefilter; expected: ReturnType<typeof answer> }> {
  for (let i = 0; i < QUERIES; i++) {
    const { sql, ordered } = next();
    const prefilter = derivePrefilter([sql]);
    if (prefilter) yield { sql, ordered, prefilter, expected: answer(full.query(sql, 100_000), ordered) };
  }
}

/** Spark-style queries over audit_logs, some provably prunable, some not. */
function queryGenerator(random: Random): () => GeneratedQuery {
  const servicePool = () => [...services, 'nosuch', 'account', 'cluster', 'Clusters'];
  const actionPool = () => [...actions, 'nosuch'];
  const literal = (value: string) => (random.chance(0.5) ? `'${value}'` : `"${value}"`);
  const literals = (pool: string[]) => random.sample(pool, random.int(1, 3)).map(literal).join(', ');

  return () => {
    const alias = random.pick(['', 'a', 'AS a']);
    const q = alias === '' ? (random.chance(0.2) ? 'audit_logs.' : '') : 'a.';
    const serviceColumn = random.pick(['serviceName', 'servicename', 'SERVICENAME', '`serviceName`']);
    const service = random.pick(servicePool());
    const safeService = random.pick([
      `${q}${serviceColumn} = ${literal(service)}`,
      `${q}${serviceColumn} == ${literal(service)}`,
      `${literal(service)} = ${q}${serviceColumn}`,
      `${q}${serviceColumn} IN (${literals(servicePool())})`,
    ]);
    const others = [
      () => `${q}actionName = ${literal(random.pick(actionPool()))}`,
      () => `${q}actionName IN (${literals(actionPool())})`,
      () => `${q}actionName LIKE ${literal(random.pick(['%login%', '%Login%', 'token%', '%o_in', '%create%', '%e%', '%Permission%', 'get%s', '%1%']))}`,
      () => `${q}response.statusCode = ${random.pick(['200', '403', '500'])}`,
      () => `${q}userIdentity.email IS NOT NULL`,
      () => `${q}date = '2024-02-0${random.int(1, 2)}'`,
      () => `${q}workspaceId = '0'`,
      () => `(${q}actionName = ${literal(random.pick(actionPool()))} OR ${q}sourceIPAddress LIKE '10.%')`,
      () => `NOT ${q}actionName = ${literal(random.pick(actionPool()))}`,
    ];
    const unsafeService = [
      () => `${safeService} OR ${random.pick(others)()}`,
      () => `${safeService} AND ${random.pick(others)()} OR ${random.pick(others)()}`,
      () => `lower(${q}serviceName) = ${literal(service.toLowerCase())}`,
      () => `${q}serviceName LIKE ${literal(`${service.slice(0, 3)}%`)}`,
      () => `${q}serviceName <> ${literal(service)}`,
      () => `${q}serviceName = ${literal(service)} COLLATE NOCASE`,
      () => `${q}requestId IN (SELECT requestId FROM audit_logs WHERE serviceName = ${literal(service)})`,
      () => random.pick(others)(),
    ];
    const conjuncts = [random.chance(0.7) ? safeService : random.pick(unsafeService)()];
    for (let i = random.int(0, 2); i > 0; i--) conjuncts.push(random.pick(others)());
    const where = random.sample(conjuncts, conjuncts.length).join(' AND ');
    const from = `FROM audit_logs${alias ? ` ${alias}` : ''}`;
    const shape = random.int(0, 5);
    switch (shape) {
      case 0:
        return { sql: `SELECT * ${from} WHERE ${where}`, ordered: false };
      case 1:
        return { sql: `SELECT COUNT(*) ${from} WHERE ${where}`, ordered: false };
      case 2:
        return { sql: `SELECT ${q}actionName, COUNT(*) AS n ${from} WHERE ${where} GROUP BY ${q}actionName ORDER BY 1`, ordered: true };
      case 3:
        return { sql: `SELECT DISTINCT ${q}userIdentity.email, ${q}sourceIPAddress ${from} WHERE ${where}`, ordered: false };
      case 4:
        return { sql: `SELECT ${q}requestParams.spark_version, COUNT(*) ${from} WHERE ${where} GROUP BY ${q}requestParams.spark_version`, ordered: false };
      default:
        return { sql: `SELECT ${q}_file, ${q}_line, ${q}serviceName ${from} WHERE ${where} ORDER BY 1, 2 LIMIT 7`, ordered: true };
    }
  };
}

it(`${QUERIES} generated queries answer the same with and without the prefilter`, async () => {
  const next = queryGenerator(new Random('pushdown-queries'));
  let prunable = 0;
  let prunedLines = 0;
  let answeredRows = 0;
  for (const { sql, ordered, prefilter, expected } of prunableQueries(next)) {
    prunable++;
    const { database, summary } = await loadedWith(prefilter);
    prunedLines += summary.linesSkippedByFilter;
    const actual = answer(database.query(sql, 100_000), ordered);
    if (expected.rows.length > 0) answeredRows++;
    assert.deepEqual(actual, expected, `${sql}\nprefilter ${JSON.stringify(prefilter)}`);
    const byIndex = await loadedWith(prefilter, true);
    assert.deepEqual(answer(byIndex.database.query(sql, 100_000), ordered), expected, `by the line index: ${sql}\nprefilter ${JSON.stringify(prefilter)}`);
  }
  // The comparison means something only if many queries were pruned, skipping lines, with answers.
  assert.ok(prunable >= QUERIES / 2 && prunable <= QUERIES - 30, `prunable queries: ${prunable} of ${QUERIES}`);
  assert.ok(prunedLines > 0 && answeredRows >= prunable / 3, `lines skipped ${prunedLines}, non-empty answers ${answeredRows}`);
});

/** Identity filters on any field, as an investigation writes them, on audit_logs or the system-table view. */
function identityQueryGenerator(random: Random): () => GeneratedQuery {
  const odd = { emails: ['odd@example.com', 'Odd@Example.com', 'ODD@EXAMPLE.COM', 'someone@example.com', '100.0', '1e2', '100', 'nosuch@example.com'], ips: ['10.9.9.9', '10.9.9.90', '10.0'], sessions: ['odd-session', '123', 'ODD-SESSION'], requests: ['odd-request', '1'], users: ['odd@example.com', 'true', 'nosuch'] };
  const pool = (kind: keyof typeof identities) => (random.chance(0.6) ? identities[kind] : odd[kind]);
  const prefixOf = (value: string) => value.slice(0, random.int(1, value.length));
  const oddPatterns = {
    emails: ['odd%', 'Odd@%', 'ODD%', 'nosuch%', '%odd%', 'odd_example%'],
    ips: ['10.9.9.9:%', '10.9.9.9%', '10.9.9%', '[2001:db8::1]:%', '2001:%', '1.0e+%', '1%', '10._.9.9:%', '[%', '10.9.9.9\\:%'],
    sessions: ['odd%', 'odd-session-%', 'ODD%', 'tr%', '12%', '{%'],
    requests: ['odd%', 'odd-request%', 'nosuch%'],
    users: ['odd%', 'tr%', 'nosuch%'],
  };
  const prefixPattern = (kind: keyof typeof identities) => (random.chance(0.5) ? `${prefixOf(random.pick(identities[kind]))}%` : random.pick(oddPatterns[kind]));
  const literal = (value: string) => (random.chance(0.5) ? `'${value}'` : `"${value}"`);
  const equalsOrIn = (column: string, kind: keyof typeof identities) =>
    random.pick([
      () => `${column} = ${literal(random.pick(pool(kind)))}`,
      () => `${literal(random.pick(pool(kind)))} = ${column}`,
      () => `${column} IN (${random.sample(pool(kind), random.int(1, 3)).map(literal).join(', ')})`,
      () => `${column} LIKE ${literal(prefixPattern(kind))}`,
    ])();
  return () => {
    const view = random.chance(0.3);
    const alias = random.pick(['', 'a', 'AS a']);
    const q = alias === '' ? (random.chance(0.2) ? `${view ? 'system_access_audit' : 'audit_logs'}.` : '') : 'a.';
    const names = view
      ? { email: 'user_identity.email', ip: 'source_ip_address', session: 'session_id', request: 'request_id', user: 'request_params.user', agent: 'user_agent', service: 'service_name', action: 'action_name', error: 'response.error_message', file: '_file', line: '_line' }
      : { email: random.pick(['userIdentity.email', 'USERIDENTITY.email', '`userIdentity`.`email`']), ip: random.pick(['sourceIPAddress', 'sourceipaddress']), session: 'sessionId', request: 'requestId', user: 'requestParams.user', agent: 'userAgent', service: 'serviceName', action: 'actionName', error: 'response.errorMessage', file: '_file', line: '_line' };
    const identity = [
      () => equalsOrIn(q + names.email, 'emails'),
      () => equalsOrIn(q + names.ip, 'ips'),
      () => equalsOrIn(q + names.session, 'sessions'),
      () => equalsOrIn(q + names.request, 'requests'),
      () => equalsOrIn(q + names.user, 'users'),
      () => `${q}${names.agent} = ${literal(random.pick(['curl/8.0', 'nosuch']))}`,
      () => `${q}${names.error} = ${literal('odd denied')}`,
    ];
    const others = [
      () => `${q}${names.service} = ${literal(random.pick([...services, 'nosuch']))}`,
      () => `${q}${names.action} IN (${random.sample([...actions, 'nosuch'], 2).map(literal).join(', ')})`,
      () => `${q}${names.email} IS NOT NULL`,
      () => `(${random.pick(identity)()} OR ${random.pick(identity)()})`,
      () => `NOT ${random.pick(identity)()}`,
      () => `lower(${q}${names.email}) = ${literal('odd@example.com')}`,
    ];
    const conjuncts = [random.pick(identity)()];
    for (let i = random.int(0, 2); i > 0; i--) conjuncts.push(random.pick(random.chance(0.5) ? identity : others)());
    const where = random.sample(conjuncts, conjuncts.length).join(' AND ');
    const from = `FROM ${view ? 'system_access_audit' : 'audit_logs'}${alias ? ` ${alias}` : ''}`;
    switch (random.int(0, 3)) {
      case 0:
        return { sql: `SELECT * ${from} WHERE ${where}`, ordered: false };
      case 1:
        return { sql: `SELECT COUNT(*) ${from} WHERE ${where}`, ordered: false };
      case 2:
        return { sql: `SELECT DISTINCT ${q}${names.email}, ${q}${names.ip}, ${q}${names.session} ${from} WHERE ${where}`, ordered: false };
      default:
        return { sql: `SELECT ${q}${names.file}, ${q}${names.line}, ${q}${names.service} ${from} WHERE ${where} ORDER BY 1, 2 LIMIT 7`, ordered: true };
    }
  };
}

it(`${QUERIES} generated identity queries answer the same, and account for every line, with and without the prefilter`, async () => {
  const next = identityQueryGenerator(new Random('pushdown-identity-queries'));
  const fullRejected = full.query('SELECT file, line, reason, raw FROM audit_errors ORDER BY 1, 2', 1000).rows;
  let prunable = 0;
  let serviceless = 0;
  let prefixed = 0;
  let answeredByPrefix = 0;
  let answeredRows = 0;
  let fewestLoaded = Infinity;
  for (const { sql, ordered, prefilter, expected } of prunableQueries(next)) {
    prunable++;
    if (prefilter.serviceNames === undefined) serviceless++;
    if (prefilter.statements?.some((statement) => statement.fieldPrefixes !== undefined)) {
      prefixed++;
      if (expected.rows.length > 0 && !/^SELECT COUNT/.test(sql)) answeredByPrefix++;
    }
    if (expected.rows.length > 0 && !/^SELECT COUNT/.test(sql)) answeredRows++;
    const { database, summary } = await loadedWith(prefilter);
    const context = `${sql}\nprefilter ${JSON.stringify(prefilter)}`;
    assert.deepEqual(answer(database.query(sql, 100_000), ordered), expected, context);
    assert.equal(summary.linesRead, fullSummary.linesRead, context);
    assert.equal(summary.linesRead, summary.recordsLoaded + summary.linesRejected + summary.linesSkippedByFilter, context);
    const passes = compileLineTest(prefilter)!;
    assert.deepEqual(database.query('SELECT file, line, reason, raw FROM audit_errors ORDER BY 1, 2', 1000).rows, fullRejected.filter((row) => passes(String(row[3]))), `rejected lines: ${context}`);
    fewestLoaded = Math.min(fewestLoaded, summary.recordsLoaded);
    const byIndex = await loadedWith(prefilter, true);
    assert.deepEqual(answer(byIndex.database.query(sql, 100_000), ordered), expected, `by the line index: ${context}`);
    assert.equal(byIndex.summary.linesRead, byIndex.summary.recordsLoaded + byIndex.summary.linesRejected + byIndex.summary.linesSkippedByFilter, `by the line index: ${context}`);
  }
  // The comparison means something only if many queries were pruned, without a service, with answers, down to a few records.
  assert.ok(prunable >= QUERIES / 3 && serviceless >= QUERIES / 5, `prunable queries: ${prunable}, without a service: ${serviceless}`);
  assert.ok(answeredRows >= 40, `non-empty answers ${answeredRows} of ${prunable}`);
  assert.ok(prefixed >= 20 && answeredByPrefix >= 5, `queries pruned by a LIKE prefix: ${prefixed}, with answers: ${answeredByPrefix}`);
  assert.ok(fewestLoaded < fullSummary.recordsLoaded / 20, `the narrowest load kept ${fewestLoaded} of ${fullSummary.recordsLoaded} records`);
});

it(`${QUERIES} generated queries and every analysis of the library answer the same over a load of only the fields they name`, async () => {
  const next = queryGenerator(new Random('pushdown-columns'));
  const texts = [...Array.from({ length: QUERIES }, next), ...analyses.map((a) => ({ sql: a.sql, ordered: false }))];
  let pruned = 0;
  for (const { sql, ordered } of texts) {
    const pushdown: Pushdown = derivePushdown([sql]);
    if (!pushdown.columns) continue;
    pruned++;
    const expected = answer(full.query(sql, 100_000), ordered);
    const { database, summary } = await loadedWith(undefined, false, pushdown.columns);
    assert.deepEqual(answer(database.query(sql, 100_000), ordered), expected, `${sql}\ncolumns ${pushdown.columns.join(', ')}`);
    assert.equal(summary.linesRejected, full.query('SELECT count(*) FROM audit_errors', 1).rows[0]![0], 'the same lines are rejected');
    const both = await loadedWith(pushdown.prefilter, true, pushdown.columns);
    assert.deepEqual(answer(both.database.query(sql, 100_000), ordered), expected, `with the prefilter and the index: ${sql}`);
  }
  assert.ok(pruned > QUERIES / 3, `only ${pruned} queries leave fields out`);
});

it('rejects, with the same reasons, exactly the bad lines whose text the prefilter lets through', async () => {
  const fullRejected = full.query('SELECT file, line, reason, raw FROM audit_errors ORDER BY 1, 2', 1000).rows;
  assert.equal(fullRejected.length, 5);
  const prefilters: LinePrefilter[] = [{ serviceNames: ['clusters'] }, { serviceNames: ['nosuch'], statements: [{ serviceNames: ['nosuch'], actionNames: ['nosuch'] }] }, { serviceNames: ['jobs'] }];
  const seen = new Set<number>();
  for (const prefilter of prefilters) {
    const { database, summary } = await loadedWith(prefilter);
    const passes = compileLineTest(prefilter)!;
    const expected = fullRejected.filter((row) => passes(String(row[3])));
    seen.add(expected.length);
    assert.deepEqual(database.query('SELECT file, line, reason, raw FROM audit_errors ORDER BY 1, 2', 1000).rows, expected);
    assert.equal(summary.linesRead, summary.recordsLoaded + summary.linesRejected + summary.linesSkippedByFilter);
  }
  assert.deepEqual([...seen].sort(), [0, 1], 'some prefilter lets a bad line through, another none');
});

it('every analysis of the library answers the same over a load by the line index as over the whole tree', async () => {
  const fullRejected = full.query('SELECT file, line, reason, raw FROM audit_errors ORDER BY 1, 2', 1000).rows;
  let indexed = 0;
  for (const analysis of analyses) {
    const prefilter = derivePrefilter([analysis.sql]);
    if (!prefilter) continue;
    indexed++;
    const { database, summary } = await loadedWith(prefilter, true);
    assert.deepEqual(answer(database.query(analysis.sql, 100_000), false), answer(full.query(analysis.sql, 100_000), false), analysis.id);
    // The index keeps bad lines apart and always reads them: a load by it reports them all, but
    // for the file without an index, which the byte filter reads.
    const passes = compileLineTest(prefilter)!;
    const expectedRejected = fullRejected.filter((row) => !String(row[0]).endsWith('auditlogs_latin1.json') || passes(String(row[3])));
    assert.deepEqual(database.query('SELECT file, line, reason, raw FROM audit_errors ORDER BY 1, 2', 1000).rows, expectedRejected, analysis.id);
    assert.equal(summary.linesRead, summary.recordsLoaded + summary.linesRejected + summary.linesSkippedByFilter, analysis.id);
    assert.ok(summary.linesSkippedByFilter > 0, `${analysis.id} skipped no line`);
    assert.equal(summary.filesReadByIndex, summary.files - 1, 'every file but the one without an index is read by it');
  }
  assert.ok(indexed >= analyses.length / 2, `only ${indexed} of ${analyses.length} analyses can be pushed down`);
});

it('a table loaded slice by slice, as each analysis of the library asks, answers each as the whole tree does', async () => {
  const database = await AuditDatabase.open();
  try {
    let loaded: LoadedSlices = NOTHING_LOADED;
    const ordered = [...analyses].sort((a, b) => Number(derivePrefilter([a.sql]) === undefined) - Number(derivePrefilter([b.sql]) === undefined));
    const needs = new Set<string>();
    for (const analysis of ordered) {
      const need = sliceNeed(loaded, analysis.sql);
      needs.add(need.kind);
      if (need.kind !== 'covered') {
        const slice = need.kind === 'slices' ? { slices: need.slices, append: true } : {};
        const summary = await loadIntoDatabase(database, { sources: [root], scanCacheDirectory: cacheDirectory, ...slice }, BUDGET);
        assert.equal(summary.linesRead, summary.recordsLoaded + summary.linesRejected + summary.linesSkippedByFilter, analysis.id);
        loaded = afterLoading(loaded, need);
      }
      if (loaded.kind === 'slices') {
        const heldRows = database.query('SELECT serviceName, actionName, count(*) FROM audit_logs GROUP BY 1, 2 ORDER BY 1, 2', 10_000).rows;
        const inSlices = full.query('SELECT serviceName, actionName, count(*) FROM audit_logs GROUP BY 1, 2 ORDER BY 1, 2', 10_000).rows.filter(([service, action]) =>
          loaded.kind === 'slices' &&
          loaded.slices.some(
            (slice) =>
              slice.service === service &&
              ((slice.actions === undefined && slice.patterns === undefined) ||
                (action !== null && (slice.actions?.includes(String(action)) || slice.patterns?.some((pattern) => likePattern(pattern, false).test(String(action)))))),
          ),
        );
        assert.deepEqual(heldRows, inSlices, `the table holds exactly the slices, each record once (${analysis.id})`);
        const errors = database.query('SELECT count(*), count(DISTINCT file || line) FROM audit_errors', 10).rows[0]!;
        assert.equal(errors[0], errors[1], 'each bad line reported once');
      }
      assert.deepEqual(answer(database.query(analysis.sql, 100_000), false), answer(full.query(analysis.sql, 100_000), false), analysis.id);
    }
    assert.deepEqual([...needs].sort(), ['all', 'covered', 'slices'], 'slices were added, covered, and the rest loaded');
  } finally {
    database.close();
  }
});

it('a table that holds some actions of a service, then the rest of it, holds each record once and answers as the whole tree does', async () => {
  const database = await AuditDatabase.open();
  try {
    const steps = [
      `SELECT requestParams.spark_version, count(*) FROM audit_logs WHERE serviceName = 'clusters' AND actionName = 'create' GROUP BY 1`,
      `SELECT actionName, count(*) FROM audit_logs WHERE serviceName IN ('clusters', 'jobs') AND actionName IN ('create', 'delete', 'nosuch') GROUP BY 1`,
      `SELECT actionName, count(*), count(DISTINCT _file || _line) FROM audit_logs WHERE serviceName = 'clusters' GROUP BY 1`,
      `SELECT serviceName, actionName, count(*) FROM audit_logs WHERE serviceName IN ('clusters', 'jobs') GROUP BY 1, 2`,
    ];
    let loaded: LoadedSlices = NOTHING_LOADED;
    const kinds: string[] = [];
    for (const sql of steps) {
      const need = sliceNeed(loaded, sql);
      kinds.push(need.kind === 'slices' ? need.slices.map((s) => `${s.service}${s.actions ? `(${s.actions.join(',')})` : ''}${s.held?.actions ? `-(${s.held.actions.join(',')})` : ''}`).join(' ') : need.kind);
      if (need.kind === 'slices') {
        const summary = await loadIntoDatabase(database, { sources: [root], scanCacheDirectory: cacheDirectory, slices: need.slices, append: loaded.kind === 'slices' && loaded.slices.length > 0 }, BUDGET);
        assert.equal(summary.linesRead, summary.recordsLoaded + summary.linesRejected + summary.linesSkippedByFilter, sql);
      }
      loaded = afterLoading(loaded, need);
      assert.deepEqual(answer(database.query(sql, 100_000), false), answer(full.query(sql, 100_000), false), sql);
    }
    assert.deepEqual(kinds, ['clusters(create)', 'clusters(delete,nosuch)-(create) jobs(create,delete,nosuch)', 'clusters-(create,delete,nosuch)', 'jobs-(create,delete,nosuch)']);
    const escaped = database.query(`SELECT count(*) FROM audit_logs WHERE requestParams.spark_version = 'escaped'`, 10).rows[0]![0];
    assert.equal(escaped, 1, 'the record whose names only SQLite can read is held once');
  } finally {
    database.close();
  }
});
