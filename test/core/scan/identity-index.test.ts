/** The identity index: what it records, and that a load by it answers and rejects exactly as a whole read does. */
import assert from 'node:assert/strict';
import { appendFileSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ScanCache, scanFiles } from '../../../src/core/scan';
import { identitiesOf, identityLines, IdentityIndexBuilder, MAX_INDEXED_VALUE_LENGTH } from '../../../src/core/scan/identity-index';
import { narrowByIdentities } from '../../../src/core/scan/identity-narrow';
import { selectLines } from '../../../src/core/scan/line-index';
import { openSource } from '../../../src/core/sources';
import { AuditDatabase } from '../../../src/core/sql/database';
import { loadIntoDatabase, type LoadSummary } from '../../../src/core/sql/loader';
import type { LinePrefilter } from '../../../src/core/sql/pushdown';
import type { StatementFilter } from '../../../src/core/sql/pushdown/prefilter';
import { startGcsServer, type GcsTestServer } from '../../gcs-server';
import { aRecord, putDeliveryTree, writeDeliveryTree, type DeliveryTree } from '../../support/deliveryTree';
import { aLine } from '../../support/records';

const BUDGET = { maxRows: 10_000 };
const SERVICES = ['clusters', 'jobs', 'accounts'];
/** Marks the lines only SQLite can read: the index must always read them. */
const ODD = 'odd-line';

const identities = (text: string) => identitiesOf(text, JSON.parse(text) as Record<string, unknown>);

describe('identitiesOf', () => {
  it('takes the email, the attempted user, the IP address, the session id and the request id, leaving out absent and null ones', () => {
    assert.deepEqual(identities(aLine({ requestParams: { user: 'bo@example.com' }, userIdentity: { email: null }, sessionId: null })), {
      'requestParams.user': 'bo@example.com',
      sourceIPAddress: '10.0.0.1',
      requestId: 'req-1',
    });
    assert.deepEqual(identities('{"serviceName":"jobs"}'), {});
    assert.deepEqual(identities('{"requestId":"r-1","sessionId":null}'), { requestId: 'r-1' });
    assert.deepEqual(identities('{"requestId":"a","requestParams":{"requestId":"b","user":"u"},"userIdentity":{"email":"e"},"response":{"result":"{\\"email\\":1}"}}'), {
      requestId: 'a',
      'requestParams.user': 'u',
      'userIdentity.email': 'e',
    }, 'the same key in different objects, or inside a string, is no repetition');
  });

  it('leaves to SQLite lines with escapes, repeated keys, values that are not strings or too long', () => {
    for (const text of [
      aLine({ userIdentity: { email: 'ana@example.com' }, userAgent: '\\u0041' }).replace('\\\\u0041', '\\u0041'),
      '{"userIdentity":{"email":"a@x"},"userIdentity":{"email":"b@x"}}',
      '{"userIdentity":{"email":"a@x","email":"b@x"}}',
      '{"sessionId":"a","sessionId":"b"}',
      '{"userIdentity":{"email":"a@x", "email" : "b@x"}}',
      '{"requestParams":{"email":"c@x"},"userIdentity":{"email":"a@x","email":"b@x"}}',
      '{"requestId":7}',
      '{"sourceIPAddress":1}',
      '{"userIdentity":"a@x"}',
      '{"requestParams":{"user":{"name":"a"}}}',
      JSON.stringify({ sessionId: 's'.repeat(MAX_INDEXED_VALUE_LENGTH + 1) }),
    ]) {
      assert.equal(identities(text), undefined, text.slice(0, 80));
    }
  });

  it('finds per statement the lines holding one of each indexed filter\'s values, or none when a statement has no indexed filter', () => {
    const builder = new IdentityIndexBuilder();
    builder.add(1, { 'userIdentity.email': 'a', sourceIPAddress: 'ip1' });
    builder.add(2, { 'userIdentity.email': 'b', sourceIPAddress: 'ip1' });
    builder.add(5, { 'userIdentity.email': 'a', sourceIPAddress: 'ip2' });
    builder.add(7, { 'requestParams.user': '__proto__', requestId: 'req-7' });
    builder.add(300, { requestId: 'req-300' });
    const index = JSON.parse(JSON.stringify(builder.build())) as ReturnType<IdentityIndexBuilder['build']>;
    const lines = (statements: Pick<StatementFilter, 'fields' | 'fieldPrefixes'>[]) => {
      const found = identityLines(index, statements);
      return found && [...found].sort((a, b) => a - b);
    };
    assert.deepEqual(lines([{ fields: [{ path: 'userIdentity.email', values: ['a'] }] }]), [1, 5]);
    assert.deepEqual(lines([{ fields: [{ path: 'userIdentity.email', values: ['a'] }, { path: 'sourceIPAddress', values: ['ip1'] }] }]), [1]);
    assert.deepEqual(lines([{ fields: [{ path: 'userIdentity.email', values: ['b'] }] }, { fields: [{ path: 'sourceIPAddress', values: ['ip2'] }] }]), [2, 5]);
    assert.deepEqual(lines([{ fields: [{ path: 'requestParams.user', values: ['__proto__', 'constructor'] }] }]), [7]);
    assert.deepEqual(lines([{ fields: [{ path: 'sessionId', values: ['nobody'] }] }]), []);
    assert.equal(lines([{ fields: [{ path: 'userIdentity.email', values: ['a'] }] }, {}]), undefined);
    assert.equal(lines([{ fields: [{ path: 'userAgent', values: ['curl'] }] }]), undefined);
    assert.deepEqual(lines([{ fields: [{ path: 'requestId', values: ['req-300', 'req-7', 'req-8'] }] }]), [7, 300]);
    assert.deepEqual(lines([{ fields: [{ path: 'requestId', values: ['req-300'] }, { path: 'sessionId', values: ['s'] }] }]), []);
    assert.deepEqual(lines([{ fieldPrefixes: [{ path: 'sourceIPAddress', prefix: 'ip' }] }]), [1, 2, 5]);
    assert.deepEqual(lines([{ fieldPrefixes: [{ path: 'sourceIPAddress', prefix: 'ip2' }] }, { fields: [{ path: 'userIdentity.email', values: ['b'] }] }]), [2, 5]);
    assert.deepEqual(lines([{ fields: [{ path: 'userIdentity.email', values: ['a'] }], fieldPrefixes: [{ path: 'sourceIPAddress', prefix: 'ip1' }] }]), [1]);
    assert.deepEqual(lines([{ fieldPrefixes: [{ path: 'requestParams.user', prefix: '__' }] }]), [7]);
    assert.deepEqual(lines([{ fieldPrefixes: [{ path: 'sourceIPAddress', prefix: 'IP' }] }]), [], 'case is significant');
    assert.equal(lines([{ fieldPrefixes: [{ path: 'requestId', prefix: 'req-' }] }]), undefined, 'hashed values cannot be told by a prefix');
    assert.equal(lines([{ fieldPrefixes: [{ path: 'userAgent', prefix: 'curl' }] }]), undefined);
    const { requestIds: _dropped, ...withoutRequestIds } = index;
    assert.equal(identityLines(withoutRequestIds, [{ fields: [{ path: 'requestId', values: ['req-7'] }] }]), undefined, 'an index without request ids cannot narrow by them');
  });
});

/** Lines across three partitions: one holds ana, one holds bo, one holds neither but an odd line. */
function treeLines(): { workspaceId: string; date: string; lines: string[] }[] {
  const t = Date.UTC(2024, 0, 1);
  const line = (i: number, fields: Record<string, unknown>) => aLine({ timestamp: t + i * 1000, requestId: `r${i}`, serviceName: SERVICES[i % 3], ...fields });
  const escapedAna = aLine({ timestamp: t, userIdentity: { email: 'ana@example.com' }, userAgent: ODD }).replace('"ana@example.com"', '"\\u0061na@example.com"');
  return [
    {
      workspaceId: '1',
      date: '2024-01-01',
      lines: [
        line(1, { userIdentity: { email: 'ana@example.com' }, sessionId: 's-ana', sourceIPAddress: '10.0.0.1' }),
        line(2, { userIdentity: { email: 'bo@example.com' }, sessionId: 's-bo', sourceIPAddress: '10.0.0.2' }),
        line(3, { userIdentity: { email: null }, requestParams: { user: 'ana@example.com' }, sessionId: null, sourceIPAddress: '10.0.0.9' }),
        escapedAna,
        '{"serviceName":"clusters", truncated',
        line(4, { userIdentity: { email: 'carl@example.com' }, sessionId: 's-carl' }),
        line(5, { userIdentity: { email: 'ana@example.com' }, sessionId: 's-ana', sourceIPAddress: '10.0.0.1:443' }),
        // An email key in two objects is no repetition: indexed by userIdentity's.
        line(12, { userIdentity: { email: 'ana@example.com' }, requestParams: { email: 'bo@example.com' }, sessionId: 's-ana2' }),
      ],
    },
    {
      workspaceId: '2',
      date: '2024-01-01',
      lines: [
        line(6, { userIdentity: { email: 'bo@example.com' }, sessionId: 's-bo', sourceIPAddress: '10.0.0.2' }),
        // JSON.parse keeps the last email, SQLite the first: only SQLite may say.
        line(7, { userAgent: ODD }).replace('"userIdentity":{"email":"ana@example.com"}', '"userIdentity":{"email":"bo@example.com"},"userIdentity":{"email":"ana@example.com"}'),
        line(8, { userIdentity: { email: 'carl@example.com' }, sessionId: 's-carl' }),
      ],
    },
    {
      workspaceId: '3',
      date: '2024-01-01',
      lines: [line(9, { userIdentity: { email: 'carl@example.com' }, sessionId: 's-carl' }), line(10, { userIdentity: { email: 'dee@example.com' }, sessionId: 's-dee', sourceIPAddress: '[2001:db8::1]:443' })],
    },
    {
      workspaceId: '3',
      date: '2024-01-02',
      lines: [line(11, { userIdentity: { email: 'dee@example.com' }, sessionId: 's-dee' }), JSON.stringify(aRecord({ sessionId: 7, userAgent: ODD, userIdentity: { email: 'dee@example.com' } }))],
    },
  ];
}

/** Identity filters, each as the prefilter's statements and as the SQL condition they stand for. */
const CASES: { name: string; statements: Pick<StatementFilter, 'fields' | 'fieldPrefixes'>[]; where: string }[] = [
  { name: 'one email', statements: [{ fields: [{ path: 'userIdentity.email', values: ['ana@example.com'] }] }], where: `userIdentity.email = 'ana@example.com'` },
  { name: 'an attempted user', statements: [{ fields: [{ path: 'requestParams.user', values: ['ana@example.com'] }] }], where: `requestParams.user = 'ana@example.com'` },
  { name: 'an email or the same attempted user', statements: [{ fields: [{ path: 'userIdentity.email', values: ['ana@example.com'] }] }, { fields: [{ path: 'requestParams.user', values: ['ana@example.com'] }] }], where: `userIdentity.email = 'ana@example.com' OR requestParams.user = 'ana@example.com'` },
  { name: 'IP addresses', statements: [{ fields: [{ path: 'sourceIPAddress', values: ['10.0.0.2', '10.0.0.1:443'] }] }], where: `sourceIPAddress IN ('10.0.0.2', '10.0.0.1:443')` },
  { name: 'a session and an email', statements: [{ fields: [{ path: 'sessionId', values: ['s-ana'] }, { path: 'userIdentity.email', values: ['ana@example.com'] }] }], where: `sessionId = 's-ana' AND userIdentity.email = 'ana@example.com'` },
  { name: 'request ids (hashed)', statements: [{ fields: [{ path: 'requestId', values: ['r2', 'r9', 'r-none'] }] }], where: `requestId IN ('r2', 'r9', 'r-none')` },
  { name: 'nobody (the third file is not fetched)', statements: [{ fields: [{ path: 'sessionId', values: ['s-nobody'] }] }], where: `sessionId = 's-nobody'` },
  { name: 'an IP address with any port', statements: [{ fieldPrefixes: [{ path: 'sourceIPAddress', prefix: '10.0.0.1:' }] }], where: `sourceIPAddress LIKE '10.0.0.1:%'` },
  {
    name: 'an IP address, bare or with a port (the third file is not fetched)',
    statements: [{ fields: [{ path: 'sourceIPAddress', values: ['10.0.0.1'] }] }, { fieldPrefixes: [{ path: 'sourceIPAddress', prefix: '10.0.0.1:' }] }],
    where: `sourceIPAddress = '10.0.0.1' OR sourceIPAddress LIKE '10.0.0.1:%'`,
  },
  { name: 'an IPv6 address with a port (only in the third file)', statements: [{ fieldPrefixes: [{ path: 'sourceIPAddress', prefix: '[2001:db8::1]:' }] }], where: `sourceIPAddress LIKE '[2001:db8::1]:%'` },
  { name: 'an email and a session prefix', statements: [{ fields: [{ path: 'userIdentity.email', values: ['ana@example.com'] }], fieldPrefixes: [{ path: 'sessionId', prefix: 's-ana' }] }], where: `userIdentity.email = 'ana@example.com' AND sessionId LIKE 's-ana%'` },
  { name: 'a session prefix nobody has', statements: [{ fieldPrefixes: [{ path: 'sessionId', prefix: 'S-' }] }], where: `sessionId LIKE 'S-%'` },
];

function prefilterOf(statements: Pick<StatementFilter, 'fields' | 'fieldPrefixes'>[]): LinePrefilter {
  return { serviceNames: SERVICES, statements: statements.map((filters) => ({ serviceNames: SERVICES, ...filters })) };
}

interface Loaded {
  summary: LoadSummary;
  rows: unknown[][];
  odd: unknown[][];
  errors: unknown[][];
}

async function load(sourceUri: string, where: string, options: { gcsEndpoint?: string; prefilter?: LinePrefilter; scanCacheDirectory?: string }): Promise<Loaded> {
  const database = await AuditDatabase.open();
  try {
    const summary = await loadIntoDatabase(database, { sources: [sourceUri], ...options }, BUDGET);
    const rows = database.query(`SELECT _file, _line, sessionId, userIdentity, requestParams, sourceIPAddress FROM audit_logs WHERE ${where} ORDER BY _file, _line`).rows;
    const odd = database.query(`SELECT _file, _line FROM audit_logs WHERE NOT coalesce(${where}, false) AND userAgent IS NOT '${ODD}'`).rows;
    const errors = database.query(`SELECT file, line, reason FROM audit_errors ORDER BY file, line`).rows;
    return { summary, rows, odd, errors };
  } finally {
    database.close();
  }
}

describe('a load by the identity index', () => {
  let tree: DeliveryTree;
  let server: GcsTestServer;
  const caches: string[] = [];
  const sources: { kind: string; uri: string; gcsEndpoint?: string; cache: string }[] = [];

  before(async () => {
    tree = writeDeliveryTree(treeLines());
    server = await startGcsServer();
    putDeliveryTree(server, 'ids', 'logs', tree);
    for (const [kind, uri, gcsEndpoint] of [['local', tree.root, undefined], ['gcs', 'gs://ids/logs', server.endpoint]] as const) {
      const cache = mkdtempSync(path.join(tmpdir(), 'audit-lens-identity-cache-'));
      caches.push(cache);
      const source = await openSource(uri, gcsEndpoint ? { gcsEndpoint } : {});
      await scanFiles(source, await source.listFiles(), { cache: new ScanCache(cache) });
      sources.push({ kind, uri, cache, ...(gcsEndpoint ? { gcsEndpoint } : {}) });
    }
  });
  after(async () => {
    await server.stop();
    tree.remove();
    for (const cache of caches) rmSync(cache, { recursive: true, force: true });
  });

  for (const { name, statements, where } of CASES) {
    it(`loads every row and rejection a whole read gives, and only those and the odd lines: ${name}`, async () => {
      for (const { kind, uri, gcsEndpoint, cache } of sources) {
        const endpoint = gcsEndpoint ? { gcsEndpoint } : {};
        const whole = await load(uri, where, endpoint);
        server.resetLog();
        const byIndex = await load(uri, where, { ...endpoint, prefilter: prefilterOf(statements), scanCacheDirectory: cache });
        assert.deepEqual(byIndex.rows, whole.rows, `${kind}: rows`);
        assert.deepEqual(byIndex.errors, whole.errors, `${kind}: rejections`);
        assert.deepEqual(byIndex.odd, [], `${kind}: loaded nothing but matches and lines only SQLite can read`);
        assert.equal(byIndex.summary.filesReadByIndex, 4, kind);
        assert.equal(byIndex.summary.linesSkippedByFilter, whole.summary.recordsLoaded - byIndex.summary.recordsLoaded, `${kind}: the index passed over the other lines unread`);
        assert.ok(byIndex.summary.recordsLoaded <= whole.rows.length + 3, `${kind}: the matches and the three odd lines at most`);
        assert.equal(byIndex.summary.linesRead, whole.summary.linesRead, `${kind}: every line accounted for`);
        if (kind === 'gcs') {
          const fetched = new Set(server.requests.filter((r) => r.kind === 'media').map((r) => r.object));
          const holding = new Set(whole.rows.map((row) => String(row[0]).replace('gs://ids/', '')));
          // The files with odd or bad lines are always read (the first, second and fourth); the third only when it holds a match.
          for (const object of fetched) assert.ok(!object!.includes('workspaceId=3/date=2024-01-01') || holding.has(object!), `${name}: fetched ${object}`);
          if (![...holding].some((o) => o.includes('workspaceId=3/date=2024-01-01'))) assert.equal(fetched.size, 3, `${name}: GETs`);
        }
      }
    });
  }

  it('narrows from the cache entry as from the parsed index, for files with and without the values', async () => {
    const { uri, cache } = sources[0]!;
    const source = await openSource(uri);
    const scans = new ScanCache(cache);
    for (const { statements } of CASES) {
      for (const file of await source.listFiles()) {
        const entry = await new ScanCache(cache).getIdentityEntry(file, statements);
        const expected = narrowByIdentities((await scans.getIndex(file))!, statements)!;
        assert.deepEqual(entry?.index && selectLines(entry.index, () => true), selectLines(expected, () => true), `${file.relativePath}: ${JSON.stringify(statements)}`);
        assert.equal(entry?.index?.lines, expected.lines);
        assert.equal(entry?.scan.records, (await scans.get(file))!.records);
      }
    }
  });

  it('reads a rewritten file whole again, finding its new identities, until it is scanned again', async () => {
    const cache = mkdtempSync(path.join(tmpdir(), 'audit-lens-identity-cache-'));
    const copy = writeDeliveryTree(treeLines());
    try {
      const source = await openSource(copy.root);
      await scanFiles(source, await source.listFiles(), { cache: new ScanCache(cache) });
      const target = copy.files[2]!;
      appendFileSync(target, aLine({ userIdentity: { email: 'eve@example.com' }, sessionId: 's-eve', serviceName: 'jobs' }) + '\n');
      utimesSync(target, new Date(), new Date(Date.now() + 5000));
      const where = `userIdentity.email = 'eve@example.com'`;
      const prefilter = prefilterOf([{ fields: [{ path: 'userIdentity.email', values: ['eve@example.com'] }] }]);
      const stale = await load(copy.root, where, { prefilter, scanCacheDirectory: cache });
      assert.equal(stale.rows.length, 1, 'the rewritten file is read, not its old index');
      assert.equal(stale.summary.filesReadByIndex, 3);
      const rescan = await scanFiles(source, await source.listFiles(), { cache: new ScanCache(cache) });
      assert.deepEqual(rescan.scanned.filter((s) => !s.cached).map((s) => s.file.uri), [target]);
      const fresh = await load(copy.root, where, { prefilter, scanCacheDirectory: cache });
      assert.equal(fresh.rows.length, 1);
      assert.equal(fresh.summary.filesReadByIndex, 4);
      assert.equal(fresh.summary.recordsLoaded, 4, 'eve, and the three lines only SQLite can read');
    } finally {
      copy.remove();
      rmSync(cache, { recursive: true, force: true });
    }
  });
});
