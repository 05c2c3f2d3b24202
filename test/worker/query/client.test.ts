import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { SqlError } from '../../../src/core/sql/dialect';
import { QuerySession } from '../../../src/worker/query/client';
import { aRecord, writeDeliveryTree, type DeliveryTree } from '../../support/deliveryTree';
import { QUERY_WORKER_BUNDLE } from '../../support/workers';

/** The bundled worker (`npm test` builds it first). */
const workerPath = QUERY_WORKER_BUNDLE;

function sessionFolders(root: string): string[] {
  return readdirSync(root).filter((name) => name.startsWith('audit-lens-session-'));
}

const RUNAWAY = 'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n+1 FROM r) SELECT count(*) FROM r';
const ROWS = 100_000;

describe('QuerySession (worker thread)', { timeout: 120_000 }, () => {
  let tree: DeliveryTree;
  let session: QuerySession;
  before(async () => {
    assert.ok(existsSync(workerPath), `${workerPath} is missing: run npm run build`);
    tree = writeDeliveryTree([
      { workspaceId: '1', date: '2024-01-01', lines: Array.from({ length: 50 }, (_, i) => aRecord({ serviceName: i % 2 ? 'clusters' : 'jobs' })) },
      { workspaceId: '2', date: '2024-01-02', lines: [aRecord(), 'broken {'] },
    ]);
    session = await QuerySession.open({ workerPath });
  });
  after(async () => {
    await session.dispose();
    tree.remove();
  });

  it('loads with progress and answers queries', async () => {
    const messages: string[] = [];
    const summary = await session.load({ sources: [tree.root] }, { onProgress: (u) => messages.push(u.message) });
    assert.equal(summary.recordsLoaded, 51);
    assert.equal(summary.linesRejected, 1);
    assert.equal(summary.problemCount, 1);
    assert.equal(summary.problems[0]!.line, 2);
    assert.equal(session.loadedRows, 51);
    assert.ok(messages.some((m) => m.startsWith('Loading workspaceId=2/date=2024-01-02')));
    const result = await session.query('SELECT serviceName, count(*) FROM audit_logs GROUP BY 1 ORDER BY 1');
    assert.deepEqual(result.columns, ['serviceName', 'count(1)']);
    assert.deepEqual(result.rows, [
      ['clusters', 26],
      ['jobs', 25],
    ]);
  });

  it('without a read thread, lists and reads on its own thread and loads the same rows and problems', async () => {
    const own = await QuerySession.open({ workerPath, readThread: false });
    try {
      const [mine, threaded] = [await own.load({ sources: [tree.root] }), await session.load({ sources: [tree.root] })];
      for (const summary of [mine, threaded]) summary.durationMs = 0;
      assert.deepEqual(mine, threaded);
      const everything = 'SELECT * FROM audit_logs ORDER BY _file, _line';
      assert.deepEqual((await own.query(everything)).rows, (await session.query(everything)).rows);
    } finally {
      await own.dispose();
    }
  });

  it('cancels a runaway query and keeps working with the loaded rows', async () => {
    const controller = new AbortController();
    const running = session.query(RUNAWAY, { signal: controller.signal });
    let abortedAt = 0;
    setTimeout(() => {
      abortedAt = performance.now();
      controller.abort();
    }, 200);
    await assert.rejects(running, (error: unknown) => (error as { code?: string }).code === 'cancelled');
    assert.ok(abortedAt > 0, 'the query ran until it was cancelled');
    const after = await session.query('SELECT count(*) FROM audit_logs');
    assert.deepEqual(after.rows, [[51]]);
    assert.equal(session.loadedRows, 51);
    const errors = await session.query('SELECT line FROM audit_errors');
    assert.deepEqual(errors.rows, [[2]]);
  });

  it('keeps changes made by statements across a cancel', async () => {
    await session.query("CREATE TABLE notes(t TEXT); INSERT INTO notes VALUES ('kept')");
    const controller = new AbortController();
    const running = session.query(RUNAWAY, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(running);
    assert.deepEqual((await session.query('SELECT t FROM notes')).rows, [['kept']]);
    await session.query('DROP TABLE notes');
  });

  it('replays the loads made since the last snapshot after a cancel', async () => {
    await session.query("CREATE TABLE notes(t TEXT); INSERT INTO notes VALUES ('kept')");
    await session.load({ sources: [tree.root], filter: { workspaces: ['2'] } });
    const controller = new AbortController();
    const running = session.query(RUNAWAY, { signal: controller.signal });
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(running);
    assert.deepEqual((await session.query('SELECT t FROM notes')).rows, [['kept']], 'from the snapshot');
    assert.deepEqual((await session.query('SELECT count(*) FROM audit_logs')).rows, [[1]], 'the load made after it, replayed');
    await session.query('DROP TABLE notes');
    await session.load({ sources: [tree.root] });
  });

  it('returns SQL errors with their position in the user\'s SQL', async () => {
    await assert.rejects(session.query('SELECT 1,\n  userIdentity.email,\n  missing FROM audit_logs'), (error: unknown) => {
      assert.ok(error instanceof SqlError);
      assert.deepEqual(error.position, { line: 3, column: 3, offset: 34 });
      assert.match(error.userMessage, /no such column: missing/);
      return true;
    });
  });

  it('a load over the row budget fails clearly and leaves the loaded rows in place', async () => {
    const small = await QuerySession.open({ workerPath, maxRows: 10 });
    try {
      const first = writeDeliveryTree([{ workspaceId: '5', date: '2024-01-01', lines: [aRecord(), aRecord(), aRecord()] }]);
      await small.load({ sources: [first.root] });
      await assert.rejects(small.load({ sources: [tree.root] }), (error: unknown) => {
        assert.equal((error as { code?: string }).code, 'budget');
        assert.match((error as Error).message, /Nothing was loaded/);
        return true;
      });
      assert.deepEqual((await small.query('SELECT DISTINCT workspaceId FROM audit_logs')).rows, [['5']]);
      assert.equal(small.loadedRows, 3);
      first.remove();
    } finally {
      await small.dispose();
    }
  });

  it('a cancelled load leaves the previous data', async () => {
    const many = writeDeliveryTree(
      Array.from({ length: 20 }, (_, i) => ({ workspaceId: '3', date: `2024-02-${String(i + 1).padStart(2, '0')}`, lines: [aRecord(), aRecord()] })),
    );
    try {
      const controller = new AbortController();
      const loading = session.load({ sources: [many.root] }, { signal: controller.signal, onProgress: (u) => u.message.startsWith('Loading') && controller.abort() });
      await assert.rejects(loading, (error: unknown) => (error as { code?: string }).code === 'cancelled');
      assert.deepEqual((await session.query('SELECT count(*) FROM audit_logs')).rows, [[51]]);
    } finally {
      many.remove();
    }
  });

  it('deletes its temporary files on dispose', async (t) => {
    // A folder of its own: other test files open sessions in the OS temp folder at the same time.
    const tempRoot = mkdtempSync(path.join(tmpdir(), 'audit-lens-session-test-'));
    t.after(() => rmSync(tempRoot, { recursive: true, force: true }));
    const extra = await QuerySession.open({ workerPath, tempRoot });
    const created = sessionFolders(tempRoot);
    assert.equal(created.length, 1);
    await extra.load({ sources: [tree.root] });
    await extra.query('CREATE TABLE kept AS SELECT 1');
    assert.ok(readdirSync(path.join(tempRoot, created[0]!)).length > 0, 'a statement that changed data left a snapshot');
    await extra.dispose();
    assert.deepEqual(sessionFolders(tempRoot), []);
    await assert.rejects(extra.query('SELECT 1'), /closed/);
  });
});

describe('export streaming', { timeout: 120_000 }, () => {
  let tree: DeliveryTree;
  let session: QuerySession;
  before(async () => {
    const lines = Array.from({ length: ROWS }, (_, i) =>
      aRecord({ requestId: `r${i}`, requestParams: { n: String(i), note: i % 1000 === 0 ? 'a "quoted", multi\nline' : 'plain' } }),
    );
    tree = writeDeliveryTree([
      { workspaceId: '9', date: '2024-01-01', lines: lines.slice(0, ROWS / 2) },
      { workspaceId: '9', date: '2024-01-02', lines: lines.slice(ROWS / 2) },
    ]);
    session = await QuerySession.open({ workerPath });
    await session.load({ sources: [tree.root] });
  });
  after(async () => {
    await session.dispose();
    tree.remove();
  });

  it('streams all 100k rows as CSV, chunk by chunk', async () => {
    const chunks: string[] = [];
    let inSink = 0;
    const { rowCount } = await session.exportQuery('SELECT requestId, requestParams.note, requestParams FROM audit_logs ORDER BY _file, _line', 'csv', async (chunk) => {
      inSink++;
      assert.equal(inSink, 1, 'the next chunk waits for the sink');
      await new Promise((resolve) => setImmediate(resolve));
      chunks.push(chunk);
      inSink--;
    });
    assert.equal(rowCount, ROWS);
    assert.ok(chunks.length > 10, `expected many chunks, got ${chunks.length}`);
    const rows = parseCsv(chunks.join(''));
    assert.deepEqual(rows[0], ['requestId', 'note', 'requestParams']);
    assert.equal(rows.length, ROWS + 1);
    assert.deepEqual(rows[1], ['r0', 'a "quoted", multi\nline', '{"n":"0","note":"a \\"quoted\\", multi\\nline"}']);
    assert.equal(rows[ROWS]![0], `r${ROWS - 1}`);
  });

  it('streams all 100k rows as a well-formed JSON array and as JSON Lines', async () => {
    let json = '';
    await session.exportQuery('SELECT requestId, requestParams FROM audit_logs ORDER BY _file, _line', 'json', async (chunk) => void (json += chunk));
    const parsed = JSON.parse(json) as { requestId: string; requestParams: { n: string } }[];
    assert.equal(parsed.length, ROWS);
    assert.deepEqual(parsed[12345], { requestId: 'r12345', requestParams: { n: '12345', note: 'plain' } });
    let jsonl = '';
    let lastProgress = 0;
    const { rowCount } = await session.exportQuery('SELECT requestId FROM audit_logs', 'jsonl', async (chunk) => void (jsonl += chunk), {
      onProgress: (update) => (lastProgress = update.done ?? 0),
    });
    assert.equal(rowCount, ROWS);
    assert.equal(lastProgress, ROWS);
    const lines = jsonl.trimEnd().split('\n');
    assert.equal(lines.length, ROWS);
    assert.equal(new Set(lines.map((l) => (JSON.parse(l) as { requestId: string }).requestId)).size, ROWS);
  });

  it('stops an export when cancelled and keeps working', async () => {
    const controller = new AbortController();
    let chunks = 0;
    const exporting = session.exportQuery('SELECT * FROM audit_logs', 'jsonl', async () => {
      chunks++;
      if (chunks === 3) controller.abort();
    }, { signal: controller.signal });
    await assert.rejects(exporting, (error: unknown) => (error as { code?: string }).code === 'cancelled');
    assert.ok(chunks < 10);
    assert.deepEqual((await session.query('SELECT count(*) FROM audit_logs')).rows, [[ROWS]]);
  });
});

/** A small RFC 4180 reader for the test: quoted fields, doubled quotes, newlines inside quotes. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        field += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else {
      field += c;
    }
  }
  if (field !== '' || row.length > 0) rows.push([...row, field]);
  return rows;
}
