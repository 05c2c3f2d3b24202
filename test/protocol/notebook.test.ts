import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseWebviewMessage } from '../../src/protocol/notebook';

describe('validation of messages from the notebook webview', () => {
  it('accepts every known, well-formed message', () => {
    const good: unknown[] = [
      { kind: 'notify', method: 'ready', params: {} },
      { kind: 'request', id: 1, method: 'runCell', params: { cellId: 'c1', sql: 'SELECT 1' } },
      { kind: 'request', id: 2, method: 'histogram', params: {} },
      { kind: 'request', id: 3, method: 'exportResult', params: { cellId: 'c1', sql: 'SELECT 1', format: 'csv' } },
      { kind: 'notify', method: 'cancel', params: { requestId: 3 } },
      { kind: 'notify', method: 'reload', params: { scope: { sources: ['gs://b/p'], from: '2024-01-01' } } },
      { kind: 'notify', method: 'openRaw', params: { file: 'gs://b/p/x.json', line: 4 } },
      { kind: 'notify', method: 'copyText', params: { text: 'a\tb', what: 'cell' } },
      { kind: 'notify', method: 'command', params: { name: 'exportDatabricks' } },
      { kind: 'notify', method: 'setEngine', params: { engine: 'databricks' } },
      { kind: 'request', id: 4, method: 'runCell', params: { cellId: 'c1', sql: 'SELECT 1', sort: { column: 0, direction: 'desc' } } },
      { kind: 'request', id: 5, method: 'runCell', params: { cellId: 'c1', sql: 'SELECT 1', asOf: { kind: 'instant', at: '2026-11-30T14:00:00Z' } } },
      { kind: 'request', id: 6, method: 'exportResult', params: { cellId: 'c1', sql: 'SELECT 1', format: 'json', asOf: { kind: 'scope-end' } } },
      { kind: 'notify', method: 'documentChanged', params: { document: { version: 1, title: 't', scope: { sources: [] }, cells: [{ id: 'a', title: '', sql: '' }] } } },
    ];
    for (const message of good) assert.equal(parseWebviewMessage(message).ok, true, JSON.stringify(message));
  });

  it('rejects unknown methods, wrong kinds and malformed parameters', () => {
    const bad: [unknown, RegExp][] = [
      [null, /not an object/],
      ['runCell', /not an object/],
      [{ kind: 'notify', method: 'executeCommand', params: { command: 'workbench.action.terminal.new' } }, /unknown notification/],
      [{ kind: 'request', id: 1, method: 'readFile', params: { path: '/etc/passwd' } }, /unknown request/],
      [{ kind: 'request', id: 1, method: '__proto__', params: {} }, /unknown request/],
      [{ kind: 'request', id: 1, method: 'runCell', params: { cellId: 'c1', sql: 'SELECT 1', asOf: { kind: 'instant', at: 'next week' } } }, /asOf/],
      [{ kind: 'request', id: 1, method: 'exportResult', params: { cellId: 'c1', sql: 'SELECT 1', format: 'csv', asOf: { kind: 'later' } } }, /asOf/],
      [{ kind: 'request', id: 1, method: 'toString', params: {} }, /unknown request/],
      [{ kind: 'reply', id: 1, method: 'runCell' }, /kind must be/],
      [{ kind: 'request', id: -1, method: 'runCell', params: { cellId: 'c', sql: '' } }, /valid id/],
      [{ kind: 'request', id: 1.5, method: 'runCell', params: { cellId: 'c', sql: '' } }, /valid id/],
      [{ kind: 'request', id: 1, method: 'runCell', params: { cellId: 'c', sql: 42 } }, /runCell needs/],
      [{ kind: 'request', id: 1, method: 'exportResult', params: { cellId: 'c', sql: 'x', format: 'xlsx' } }, /exportResult needs/],
      [{ kind: 'notify', method: 'openRaw', params: { file: 'x', line: 0 } }, /openRaw needs/],
      [{ kind: 'notify', method: 'reload', params: { scope: { sources: ['x'], workspaces: ['abc'] } } }, /workspaces/],
      [{ kind: 'notify', method: 'command', params: { name: 'delete' } }, /known name/],
      [{ kind: 'notify', method: 'setEngine', params: { engine: 'spark' } }, /setEngine needs/],
      [{ kind: 'request', id: 1, method: 'runCell', params: { cellId: 'c', sql: 'x', sort: { column: '1; DROP', direction: 'asc' } } }, /runCell needs/],
      [{ kind: 'request', id: 1, method: 'runCell', params: { cellId: 'c', sql: 'x', sort: { column: 1, direction: 'sideways' } } }, /runCell needs/],
      [{ kind: 'notify', method: 'documentChanged', params: { document: { version: 1, scope: { sources: [] }, cells: 'x' } } }, /cells must be a list/],
    ];
    for (const [message, reason] of bad) {
      const result = parseWebviewMessage(message);
      assert.equal(result.ok, false, JSON.stringify(message));
      assert.match((result as { reason: string }).reason, reason);
    }
  });

  it('passes on only the parts of a document it checked', () => {
    const result = parseWebviewMessage({ kind: 'notify', method: 'documentChanged', params: { document: { version: 1, title: 't', extra: 'x', scope: { sources: [], evil: 1 }, cells: [] } } });
    assert.ok(result.ok && result.value.kind === 'notify' && result.value.method === 'documentChanged');
    assert.deepEqual(result.value.params.document, { version: 1, title: 't', scope: { sources: [] }, cells: [] });
  });
});
