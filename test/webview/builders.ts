/** Builders for the webview tests: documents, catalogs, results and a scripted host. */
import type { CellResult, CompletionCatalog, HistogramBucket, LibraryEntry, NotebookDocument, ScopeStatus, WebviewMessage } from '../../src/protocol/notebook';
import type { HostHandler, Reply } from './harness';
import type { CellValue } from '../../src/core/sql/values';

export function aDocument(cells: { title: string; sql: string }[] = [{ title: 'Logins', sql: 'SELECT * FROM audit_logs' }]): NotebookDocument {
  return {
    version: 1,
    title: 'Test notebook',
    scope: { sources: ['gs://audit-bucket/logs'], from: '2024-01-01', to: '2024-01-31' },
    cells: cells.map((c, i) => ({ id: `cell-${i + 1}`, ...c })),
  };
}

export function aCatalog(): CompletionCatalog {
  return {
    columns: [
      { name: 'timestamp' },
      { name: 'serviceName' },
      { name: 'actionName' },
      { name: 'userIdentity', fields: ['email'] },
      { name: 'requestParams' },
      { name: 'response', fields: ['statusCode', 'errorMessage', 'result'] },
    ],
    services: [
      { name: 'accounts', actions: [{ name: 'login', params: ['user'] }, { name: 'tokenLogin', params: ['tokenId', 'user'] }] },
      { name: 'clusters', actions: [{ name: 'create', params: ['cluster_name', 'spark_version'] }] },
    ],
  };
}

export function aLibrary(): LibraryEntry[] {
  return [{ id: 'example.logins', title: 'Who accessed Databricks', question: 'Which users logged in?', sql: 'SELECT 1', category: 'example' }];
}

export function aReadyStatus(records = 1234): ScopeStatus {
  return { state: 'ready', summary: { files: 3, bytes: 123456, recordsLoaded: records, linesRejected: 0, problemCount: 0, durationMs: 850 } };
}

/** n rows of (n, service, email, json, _file, _line); row i has id i+1. */
export function manyRows(n: number): CellResult {
  const rows: CellValue[][] = [];
  for (let i = 0; i < n; i++) {
    rows.push([i + 1, ['clusters', 'accounts', 'jobs'][i % 3], `user${i % 97}@example.com`, JSON.stringify({ n: i }), 'gs://audit-bucket/logs/workspaceId=1/date=2024-01-01/auditlogs_a.json', i + 1]);
  }
  return { columns: ['id', 'serviceName', 'email', 'requestParams', '_file', '_line'], columnKinds: ['value', 'value', 'value', 'json', 'value', 'value'], rows, rowCount: n, truncated: false, durationMs: 42 };
}

export function someBuckets(): HistogramBucket[] {
  const out: HistogramBucket[] = [];
  for (let d = 1; d <= 10; d++) {
    const date = `2024-01-${String(d).padStart(2, '0')}`;
    out.push({ date, serviceName: 'clusters', count: 10 * d }, { date, serviceName: 'accounts', count: 50 - d }, { date, serviceName: 'jobs', count: 7 });
  }
  return out;
}

export interface ScriptedHost {
  handler: HostHandler;
  /** Resolves the next time a message of this method arrives. */
  next(method: WebviewMessage['method']): Promise<WebviewMessage>;
}

export interface HostScript {
  /** Never answer `ready` (as before the extension replies), to see what the webview restores alone. */
  silent?: boolean;
  document?: NotebookDocument;
  library?: LibraryEntry[];
  status?: ScopeStatus;
  histogram?: HistogramBucket[];
  /** Answer for runCell; undefined leaves the request pending (to test cancel). */
  run?: (sql: string, reply: Reply, id: number) => Promise<void> | void;
  exportResult?: (id: number, reply: Reply) => Promise<void> | void;
}

export function scriptedHost(script: HostScript): ScriptedHost {
  const waiters: { method: string; resolve: (m: WebviewMessage) => void }[] = [];
  const handler: HostHandler = async (message, reply) => {
    for (const w of waiters.filter((x) => x.method === message.method)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(message);
    }
    if (message.kind === 'notify' && message.method === 'ready') {
      if (script.silent) return;
      await reply({ kind: 'notify', method: 'init', params: { document: script.document ?? aDocument(), catalog: aCatalog(), library: script.library ?? aLibrary(), status: script.status ?? aReadyStatus() } });
    } else if (message.kind === 'request' && message.method === 'histogram') {
      await reply({ kind: 'reply', id: message.id, ok: true, result: script.histogram ?? someBuckets() });
    } else if (message.kind === 'request' && message.method === 'runCell') {
      await script.run?.(message.params.sql, reply, message.id);
    } else if (message.kind === 'request' && message.method === 'exportResult') {
      await script.exportResult?.(message.id, reply);
    }
  };
  return {
    handler,
    next: (method) => new Promise((resolve) => waiters.push({ method, resolve })),
  };
}
