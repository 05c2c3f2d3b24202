/**
 * The notebook's logic without a VS Code host: validation, running cells on either engine,
 * exports, scope changes, consent, engine switching, the warehouse offer and the raw-line guard.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { AuditLensError, cancelled } from '../../../src/core/errors';
import type { LoadSummary } from '../../../src/core/sql/loader';
import type { HostMessage, NotebookDocument, NotebookScope } from '../../../src/protocol/notebook';
import { emptyNotebook } from '../../../src/shared/notebook/format';
import type { AsOfChoice } from '../../../src/shared/asOf';
import type { SliceHooks } from '../../../src/worker/session/notebookSession';
import type { LexedSql } from '../../../src/shared/sql/lexer';
import { NotebookController, type ExportEngine, type NotebookPorts, type RawLineGuard } from '../../../src/extension/notebook/controller';
import type { ExportRequest } from '../../../src/extension/notebook/exportFile';

const SCOPE: NotebookScope = { sources: ['/logs/a'], from: '2024-03-01', to: '2024-03-05' };

function loadSummary(fields: Partial<LoadSummary> = {}): LoadSummary {
  return { files: 2, filesSkipped: 0, filesFailed: 0, filesOverlapping: 0, loadedFiles: ['/logs/a/f1.json', '/logs/a/f2.json'], listingNotes: [], bytes: 100, linesRead: 10, recordsLoaded: 10, linesRejected: 0, linesSkippedByFilter: 0, filesReadByIndex: 0, problems: [], problemCount: 0, durationMs: 5, ...fields };
}

/** What an engine was handed: text, or the cell's SQL lexed once by the controller. */
const handed = (sql: string | LexedSql) => (typeof sql === 'string' ? `text ${sql}` : `lexed ${sql.source}`);

const rows = (rowCount: number) => ({ columns: ['n'], columnKinds: [], rows: [[rowCount]], rowCount, truncated: false, durationMs: 1, asOf: 0 });

/** A controller over recording fakes; `options` sets how the fakes answer. */
function harness(doc: NotebookDocument, options: { consent?: boolean; warehouse?: boolean; offerYes?: boolean; runError?: unknown; sliceLoad?: LoadSummary } = {}) {
  const posted: HostMessage[] = [];
  const calls: string[] = [];
  const logs: string[] = [];
  const opened: { guard: RawLineGuard; file: string; line: number }[] = [];
  const exports: { engine: ExportEngine; request: ExportRequest }[] = [];
  const timelines: unknown[] = [];
  const local = {
    setScope: (scope: NotebookScope) => void calls.push(`setScope ${scope.sources.join(',')}`),
    load: async (scope: NotebookScope) => {
      calls.push(`load ${scope.sources.join(',')}`);
      if (options.runError) throw options.runError;
      return loadSummary();
    },
    runCell: async (requestId: number, sql: string | LexedSql, slices: SliceHooks = {}, asOf?: AsOfChoice) => {
      calls.push(`local runCell ${requestId} ${handed(sql)} ${asOf?.kind}`);
      if (options.runError) throw options.runError;
      if (options.sliceLoad) slices.onLoaded?.(options.sliceLoad);
      return rows(3);
    },
    histogram: async () => [{ date: '2024-03-01', serviceName: 'clusters', count: 2 }],
    cancel: (id: number) => calls.push(`local cancel ${id}`) > 0,
    loadedRows: async () => 42,
    loadedServices: ['clusters'] as readonly string[] | undefined,
    exportRows: async () => ({ rowCount: 0, asOf: 0 }),
  };
  const warehouse = {
    describe: async () => 'https://dbc.example.com',
    runCell: async (requestId: number, sql: string | LexedSql) => {
      calls.push(`warehouse runCell ${requestId} ${handed(sql)}`);
      return rows(7);
    },
    cancel: (id: number) => calls.push(`warehouse cancel ${id}`) > 0,
    exportRows: async () => ({ rowCount: 0, asOf: 0 }),
  };
  const ports: NotebookPorts = {
    post: (message) => posted.push(message),
    log: { info: (m) => logs.push(`info ${m}`), warn: (m) => logs.push(`warn ${m}`), error: (m) => logs.push(`error ${m}`) },
    local,
    warehouse,
    mayLoad: async (sources) => {
      calls.push(`ask ${sources.join(',')}`);
      return options.consent ?? true;
    },
    warehouseConfigured: () => options.warehouse ?? false,
    warehouseStatus: (host, current) => `on ${host} over ${current.scope.sources.length} sources`,
    offerWarehouse: async (message) => {
      calls.push(`offer ${message}`);
      return options.offerYes ?? false;
    },
    openRawLine: async (guard, file, line) => void opened.push({ guard, file, line }),
    showTimeline: async (argument) => void timelines.push(argument),
    copyText: async (text, what) => void calls.push(`copy ${what}: ${text}`),
    command: (name) => calls.push(`command ${name}`),
    exportToFile: async (engine, request) => {
      exports.push({ engine, request });
      return { saved: true, rowCount: 1, fileName: request.suggestedName, asOf: 0 };
    },
    pageData: () => ({ catalog: { services: [], fields: [] } as never, library: [] }),
    onStatus: () => calls.push('status'),
    onDocument: () => calls.push('document'),
  };
  const controller = new NotebookController(doc, ports);
  const notified = (method: string) => posted.filter((m): m is Extract<HostMessage, { kind: 'notify' }> => m.kind === 'notify' && m.method === method);
  return { controller, posted, calls, logs, opened, exports, timelines, local, warehouse, notified };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('notebook controller', () => {
  it('drops malformed and unknown messages, logging why, and posts nothing for them', async () => {
    const h = harness(emptyNotebook(SCOPE));
    assert.equal(await h.controller.receive({ kind: 'notify', method: 'evalThis', params: {} }), undefined);
    assert.equal(await h.controller.receive({ kind: 'request', id: -1, method: 'runCell', params: {} }), undefined);
    assert.equal(await h.controller.receive('<script>'), undefined);
    assert.deepEqual(h.controller.rejected, ['unknown notification "evalThis"', 'request has no valid id', 'message is not an object']);
    assert.equal(h.posted.length, 0);
    assert.equal(h.logs.filter((l) => l.startsWith('warn notebook: ignored a message from the webview')).length, 3);
  });

  it('answers ready with the document, the engine and a scope taken without loading', async () => {
    const h = harness(emptyNotebook(SCOPE));
    await h.controller.receive({ kind: 'notify', method: 'ready' });
    assert.deepEqual(h.posted.slice(0, 2).map((m) => m.kind === 'notify' && m.method), ['init', 'engine']);
    assert.deepEqual(h.calls.filter((c) => c.startsWith('setScope') || c.startsWith('load')), ['setScope /logs/a']);
    assert.equal(h.controller.scopeStatus.state, 'ready');
    assert.deepEqual(h.notified('engine')[0]!.params, { engine: 'local', databricksConfigured: false });
  });

  it('runs a cell locally, records its outcome and rows, and lets raw lines open only from files its slice loaded', async () => {
    const h = harness(emptyNotebook(SCOPE), { sliceLoad: loadSummary({ loadedFiles: ['/logs/a/f1.json'] }) });
    await h.controller.openScope();
    const reply = await h.controller.receive({ kind: 'request', id: 1, method: 'runCell', params: { cellId: 'c1', sql: 'SELECT 1' } });
    assert.ok(reply && reply.kind === 'reply' && reply.ok);
    assert.deepEqual(h.controller.cellOutcomes.get('c1'), { ok: true, rowCount: 3, columns: ['n'] });
    assert.equal(h.controller.loadedRows, 42);
    assert.ok(h.calls.includes('local runCell 1 lexed SELECT 1 now'), h.calls.join('\n'));
    await settled();
    const status = h.controller.scopeStatus;
    assert.ok(status.state === 'ready' && status.summary.services?.[0] === 'clusters' && status.summary.recordsLoaded === 42);
    await h.controller.receive({ kind: 'notify', method: 'openRaw', params: { file: '/etc/passwd', line: 1 } });
    assert.equal(h.opened.length, 1);
    assert.deepEqual([...h.opened[0]!.guard.readFiles], ['/logs/a/f1.json'], 'the webview cannot widen what may be opened');
    assert.equal(h.opened[0]!.guard.rejected, h.controller.rejected, 'a refusal is recorded where the rejected messages are');
  });

  it('replies with the error of a failed cell, with its position only when the SQL is the cell’s own', async () => {
    const error = Object.assign(new AuditLensError('sql', 'no such column: nope'), { position: { offset: 7 } });
    const h = harness(emptyNotebook(SCOPE), { runError: error });
    await h.controller.openScope();
    const reply = await h.controller.receive({ kind: 'request', id: 2, method: 'runCell', params: { cellId: 'c1', sql: 'SELECT nope FROM audit_logs' } });
    assert.ok(reply && reply.kind === 'reply' && !reply.ok);
    assert.deepEqual(reply.error.position, { offset: 7, length: 4 });
    const sorted = await h.controller.receive({ kind: 'request', id: 3, method: 'runCell', params: { cellId: 'c1', sql: 'SELECT nope FROM audit_logs', sort: { column: 0, direction: 'asc' } } });
    assert.ok(sorted && sorted.kind === 'reply' && !sorted.ok && sorted.error.position === undefined);
    assert.ok(h.calls.includes('local runCell 3 text SELECT * FROM (\nSELECT nope FROM audit_logs\n) AS sorted_result\nORDER BY 1 ASC now'), h.calls.join('\n'));
    assert.equal(h.controller.cellOutcomes.get('c1')?.ok, false);
    assert.ok(h.logs.some((l) => l === 'info notebook: cell c1 failed: no such column: nope'));
  });

  it('offers the warehouse when a cell’s load is past the budget, and switches engines when the user agrees', async () => {
    const h = harness(emptyNotebook(SCOPE), { runError: new AuditLensError('budget', 'Past the row budget.'), warehouse: true, offerYes: true });
    await h.controller.openScope();
    await h.controller.receive({ kind: 'request', id: 4, method: 'runCell', params: { cellId: 'c1', sql: 'SELECT 1' } });
    await settled();
    await settled();
    assert.ok(h.calls.includes('offer Past the row budget.'));
    assert.equal(h.controller.document.engine, 'databricks');
    assert.deepEqual(h.controller.scopeStatus, { state: 'remote', message: 'on https://dbc.example.com over 1 sources' });
    const reply = await h.controller.receive({ kind: 'request', id: 5, method: 'runCell', params: { cellId: 'c1', sql: 'SELECT 2' } });
    assert.ok(reply && reply.kind === 'reply' && reply.ok && (reply.result as { rowCount: number }).rowCount === 7);
    assert.ok(h.calls.includes('warehouse runCell 5 lexed SELECT 2'));
  });

  it('does not offer the warehouse when none is configured, nor for other errors', async () => {
    const budget = harness(emptyNotebook(SCOPE), { runError: new AuditLensError('budget', 'Past the row budget.') });
    await budget.controller.openScope();
    await budget.controller.receive({ kind: 'request', id: 1, method: 'runCell', params: { cellId: 'c1', sql: 'SELECT 1' } });
    const other = harness(emptyNotebook(SCOPE), { runError: new AuditLensError('network', 'Offline.'), warehouse: true });
    await other.controller.openScope();
    await other.controller.receive({ kind: 'request', id: 1, method: 'runCell', params: { cellId: 'c1', sql: 'SELECT 1' } });
    assert.equal([...budget.calls, ...other.calls].filter((c) => c.startsWith('offer')).length, 0);
  });

  it('loads nothing when the user declines an untrusted notebook’s sources, and says so', async () => {
    const h = harness(emptyNotebook(SCOPE), { consent: false });
    await h.controller.receive({ kind: 'notify', method: 'reload', params: { scope: { sources: ['/elsewhere'] } } });
    assert.ok(h.calls.includes('ask /elsewhere'));
    assert.equal(h.calls.filter((c) => c.startsWith('load') || c.startsWith('setScope')).length, 0);
    const status = h.controller.scopeStatus;
    assert.ok(status.state === 'error' && status.error.code === 'cancelled' && /not trusted/.test(status.error.userMessage));
  });

  it('takes a new scope from the webview and loads it whole on reload; a cancelled load leaves the status as it was', async () => {
    const h = harness(emptyNotebook(SCOPE));
    await h.controller.receive({ kind: 'notify', method: 'reload', params: { scope: { sources: ['/logs/b'] } } });
    assert.deepEqual(h.controller.document.scope, { sources: ['/logs/b'] });
    assert.ok(h.calls.includes('load /logs/b') && h.calls.includes('document'));
    const status = h.controller.scopeStatus;
    assert.ok(status.state === 'ready' && status.summary.recordsLoaded === 10);
    const stopped = harness(emptyNotebook(SCOPE), { runError: cancelled() });
    await stopped.controller.reload();
    assert.equal(stopped.controller.scopeStatus.state, 'loading');
  });

  it('cancels a request on both engines, and hands timeline, copy and command requests on', async () => {
    const doc: NotebookDocument = { ...emptyNotebook(SCOPE), asOf: { kind: 'scope-end' } };
    const h = harness(doc);
    await h.controller.receive({ kind: 'notify', method: 'cancel', params: { requestId: 9 } });
    assert.ok(h.calls.includes('local cancel 9') && h.calls.includes('warehouse cancel 9'));
    await h.controller.receive({ kind: 'notify', method: 'showTimeline', params: { identity: { kind: 'actor', value: 'a@example.com' } } });
    assert.deepEqual(h.timelines, [{ identity: { kind: 'actor', value: 'a@example.com' }, scope: SCOPE, asOf: { kind: 'scope-end' } }]);
    await h.controller.receive({ kind: 'notify', method: 'copyText', params: { text: 'x', what: 'the value' } });
    await h.controller.receive({ kind: 'notify', method: 'command', params: { name: 'save' } });
    assert.ok(h.calls.includes('copy the value: x') && h.calls.includes('command save'));
  });

  it('exports from the engine the cells run on, named after the cell', async () => {
    const doc: NotebookDocument = { ...emptyNotebook(SCOPE), cells: [{ id: 'c1', title: 'Who deleted <clusters>?', sql: 'SELECT 1' }] };
    const h = harness(doc);
    const reply = await h.controller.receive({ kind: 'request', id: 6, method: 'exportResult', params: { cellId: 'c1', sql: 'SELECT 1', format: 'csv' } });
    assert.ok(reply && reply.kind === 'reply' && reply.ok);
    assert.equal(h.exports[0]!.engine, h.local);
    assert.equal(h.exports[0]!.request.suggestedName, 'Who-deleted-clusters.csv');
    h.exports[0]!.request.onProgress(12);
    assert.deepEqual(h.notified('exportProgress')[0]!.params, { requestId: 6, rows: 12 });
    await h.controller.setEngine('databricks');
    await h.controller.receive({ kind: 'request', id: 7, method: 'exportResult', params: { cellId: 'c1', sql: 'SELECT 1', format: 'json' } });
    assert.equal(h.exports[1]!.engine, h.warehouse);
  });

  it('answers the histogram from the local session only', async () => {
    const h = harness(emptyNotebook(SCOPE));
    const local = await h.controller.receive({ kind: 'request', id: 1, method: 'histogram', params: {} });
    assert.ok(local && local.kind === 'reply' && local.ok && (local.result as unknown[]).length === 1);
    await h.controller.setEngine('databricks');
    const remote = await h.controller.receive({ kind: 'request', id: 2, method: 'histogram', params: {} });
    assert.ok(remote && remote.kind === 'reply' && remote.ok && (remote.result as unknown[]).length === 0);
  });
});
