/**
 * A notebook's "Load each event once" over a real worker session: the scope's dedupe reaches every
 * load (the whole scope and each cell's slices), the dropped copies are counted across slices and
 * reach the scope bar's summary, and the option is kept in the notebook file.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { NotebookSession } from '../../../src/worker/session/notebookSession';
import { summaryView } from '../../../src/extension/notebook/summaryView';
import { parseNotebookText, parseScope, serializeNotebook, emptyNotebook } from '../../../src/shared/notebook/format';
import type { LoadSummary } from '../../../src/worker/query/client';
import { aRecord, writeDeliveryTree, type DeliveryTree } from '../../support/deliveryTree';
import { QUERY_WORKER_BUNDLE } from '../../support/workers';

const workerPath = QUERY_WORKER_BUNDLE;

const event = (service: string, i: number) => aRecord({ serviceName: service, actionName: 'create', requestId: `${service}-${i}`, timestamp: Date.UTC(2024, 2, 5, 10, i) });
/** Clusters: 5 events, 3 of them delivered twice; accounts: 2 events, both twice. */
const clusters = [0, 1, 2, 3, 4].map((i) => event('clusters', i));
const accounts = [0, 1].map((i) => event('accounts', i));

describe('a notebook that loads each event once', () => {
  let tree: DeliveryTree;
  const sessions: NotebookSession[] = [];
  const open = () => {
    const session = new NotebookSession({ workerPath });
    sessions.push(session);
    return session;
  };

  before(() => {
    assert.ok(existsSync(workerPath), `${workerPath} is missing: run npm run build`);
    tree = writeDeliveryTree([
      { workspaceId: '1', date: '2024-03-05', name: 'auditlogs_first.json', lines: [...clusters, ...accounts] },
      { workspaceId: '1', date: '2024-03-05', name: 'auditlogs_second.json', lines: [...clusters.slice(0, 3), ...accounts] },
    ]);
  });

  after(async () => {
    for (const session of sessions) await session.dispose();
    tree?.remove();
  });

  it('drops the copies of a whole-scope load and says how many', async () => {
    const summary = await open().load({ sources: [tree.root], dedupe: true });
    assert.equal(summary.recordsLoaded, 7);
    assert.equal(summary.duplicatesDropped, 5);
    assert.equal(summaryView(summary).duplicatesDropped, 5);
    const plain = await open().load({ sources: [tree.root] });
    assert.equal(plain.recordsLoaded, 12);
    assert.equal(summaryView(plain).duplicatesDropped, undefined, 'without dedupe nothing is said of copies');
  });

  it('counts the copies every slice a cell loads dropped', async () => {
    const session = open();
    session.setScope({ sources: [tree.root], dedupe: true });
    const loads: LoadSummary[] = [];
    const hooks = { onLoaded: (s: LoadSummary) => void loads.push(s) };
    const first = await session.runCell(1, "SELECT COUNT(*) FROM audit_logs WHERE serviceName = 'clusters'", hooks);
    assert.deepEqual(first.rows, [[5]]);
    assert.equal(loads.at(-1)?.duplicatesDropped, 3);
    const second = await session.runCell(2, "SELECT COUNT(*) FROM audit_logs WHERE serviceName = 'accounts'", hooks);
    assert.deepEqual(second.rows, [[2]]);
    assert.equal(loads.at(-1)?.duplicatesDropped, 5, 'both slices');
    session.setScope({ sources: [tree.root], dedupe: true });
    await session.runCell(3, "SELECT COUNT(*) FROM audit_logs WHERE serviceName = 'accounts'", hooks);
    assert.equal(loads.at(-1)?.duplicatesDropped, 2, 'a new scope counts afresh');
  });

  it('keeps the option in the notebook file, and only as true', () => {
    const doc = emptyNotebook({ sources: ['gs://bucket/logs'], dedupe: true });
    const text = serializeNotebook(doc);
    assert.match(text, /"dedupe": true/);
    const read = parseNotebookText(text);
    assert.ok(read.ok);
    assert.equal(read.value.scope.dedupe, true);
    assert.doesNotMatch(serializeNotebook(emptyNotebook({ sources: [] })), /dedupe/);
    assert.deepEqual(parseScope({ sources: [], dedupe: false }), { ok: true, value: { sources: [] } });
    assert.deepEqual(parseScope({ sources: [], dedupe: 'yes' }), { ok: false, reason: 'scope.dedupe must be true or false' });
  });
});
