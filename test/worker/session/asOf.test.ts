/** A notebook run's as-of instant: the choice it carries, resolved over the scope and what was loaded, and the answers it gives. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { runChoice, runInstant } from '../../../src/worker/session/asOf';
import { NotebookSession } from '../../../src/worker/session/notebookSession';
import { aRecord, writeDeliveryTree, type DeliveryTree } from '../../support/deliveryTree';
import { QUERY_WORKER_BUNDLE } from '../../support/workers';

const LAST_DAY = 'SELECT count(*) FROM audit_logs WHERE timestamp_millis(timestamp) >= current_timestamp() - INTERVAL 24 HOURS AND timestamp_millis(timestamp) < current_timestamp()';

describe('the instant a notebook run answers at', () => {
  it('takes the run\'s choice, else the notebook\'s, else now; a malformed one counts as absent', () => {
    assert.deepEqual(runChoice({ kind: 'scope-end' }, { kind: 'instant', at: '2024-01-01' }), { kind: 'scope-end' });
    assert.deepEqual(runChoice(undefined, { kind: 'instant', at: '2024-01-01' }), { kind: 'instant', at: '2024-01-01' });
    assert.deepEqual(runChoice({ kind: 'instant', at: 'soon' }, undefined), { kind: 'now' });
    assert.deepEqual(runChoice({ kind: 'instant', at: '2024-05-10T12:00:00Z', extra: '<b>' }, undefined), { kind: 'instant', at: '2024-05-10T12:00:00Z' });
  });

  it('ends the scope at 24:00 UTC of its To date, else of the last date loaded, and says when neither is known', () => {
    const files = ['/t/workspaceId=1/date=2024-05-09/auditlogs_a.json', '/t/workspaceId=0/date=2024-05-11/auditlogs_b.json'];
    assert.equal(runInstant({ kind: 'scope-end' }, { to: '2024-05-10' }, files), Date.parse('2024-05-11T00:00:00Z'));
    assert.equal(runInstant({ kind: 'scope-end' }, {}, files), Date.parse('2024-05-12T00:00:00Z'));
    assert.equal(runInstant({ kind: 'now' }, {}, [], 42), 42);
    assert.throws(() => runInstant({ kind: 'scope-end' }, {}, []), (e: { code?: string; userMessage?: string }) => e.code === 'usage' && /To date/.test(e.userMessage ?? ''));
  });
});

describe('a notebook session answering at an instant', () => {
  let tree: DeliveryTree;
  let session: NotebookSession;

  before(async () => {
    assert.ok(existsSync(QUERY_WORKER_BUNDLE), `${QUERY_WORKER_BUNDLE} is missing: run npm run build`);
    const day = (date: string, hours: number[]) => ({ workspaceId: '1', date, lines: hours.map((h, i) => aRecord({ timestamp: Date.parse(`${date}T00:00:00Z`) + h * 3_600_000, requestId: `${date}-${i}` })) });
    tree = writeDeliveryTree([day('2024-05-09', [1, 12, 23]), day('2024-05-10', [2, 11, 13, 22])]);
    session = new NotebookSession({ workerPath: QUERY_WORKER_BUNDLE });
    session.setScope({ sources: [tree.root] });
  });

  after(async () => {
    await session?.dispose();
    tree?.remove();
  });

  it('runs a cell at the instant and names it in the result', async () => {
    const at = await session.runCell(1, LAST_DAY, {}, { kind: 'instant', at: '2024-05-10T12:00:00Z' });
    assert.deepEqual(at.rows, [[4]], '12:00, 23:00 on the 9th and 02:00, 11:00 on the 10th');
    assert.equal(at.asOf, Date.parse('2024-05-10T12:00:00Z'));
  });

  it('ends the scope at the last date loaded, and answers at the wall clock by default', async () => {
    const end = await session.runCell(2, LAST_DAY, {}, { kind: 'scope-end' });
    assert.deepEqual(end.rows, [[4]], 'the 10th, whole');
    assert.equal(end.asOf, Date.parse('2024-05-11T00:00:00Z'));
    const before = Date.now();
    const now = await session.runCell(3, LAST_DAY);
    assert.deepEqual(now.rows, [[0]]);
    assert.ok(now.asOf !== undefined && now.asOf >= before && now.asOf <= Date.now());
  });

  it('exports at the instant too, and says which', async () => {
    let text = '';
    const outcome = await session.exportRows(4, 'SELECT current_date() AS today', 'json', async (chunk) => void (text += chunk), {}, { kind: 'instant', at: '2024-05-10T12:00:00+02:00' });
    assert.deepEqual(JSON.parse(text), [{ today: '2024-05-10' }]);
    assert.equal(outcome.asOf, Date.parse('2024-05-10T10:00:00Z'));
  });
});
