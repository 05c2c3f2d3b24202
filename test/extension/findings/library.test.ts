/**
 * The Findings view with the editor's library: Run Detections runs the detections it is given (a
 * pack's, with parameter values), the view names a detection's pack, says when the workspace is
 * restricted, and offers "ignore" on a row only when its detection has the list and the row the value.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { detections, type Detection, type DetectionRun } from '../../../src/core/analyses';
import { readPackText, withParameterValues } from '../../../src/core/detections';
import { packLabel, rootNodes, rowAgent, rowContext, type FindingNode, type FindingsResult } from '../../../src/extension/findings/model';
import { runFindings } from '../../../src/extension/findings/runner';
import { aRecord, writeDeliveryTree, type DeliveryTree } from '../../support/deliveryTree';
import { QUERY_WORKER_BUNDLE } from '../../support/workers';

const PACK_FILE = '/team/packs/mounts.yaml';
const [packRule] = readPackText(
  `id: team-mounts
title: Team mounts
severity: high
services: [dbfs]
question: Who mounted?
rationale: A test rule.
parameters:
  ignoreActors: {default: [ops@example.com]}
sql: |
  SELECT userIdentity.email AS email, userAgent, _file, _line FROM audit_logs
  WHERE serviceName = 'dbfs' AND actionName = 'mount' AND COALESCE(userIdentity.email, '') NOT IN {{ignoreActors}}
`,
  PACK_FILE,
) as [Detection];

let tree: DeliveryTree;

before(() => {
  assert.ok(existsSync(QUERY_WORKER_BUNDLE), `${QUERY_WORKER_BUNDLE} is missing: run npm run build`);
  const mount = (email: string) => aRecord({ workspaceId: '1234567890123456', serviceName: 'dbfs', actionName: 'mount', userAgent: 'curl/8.4', userIdentity: { email }, requestParams: { mountPoint: '/mnt/x' } });
  tree = writeDeliveryTree([{ workspaceId: '1234567890123456', date: '2024-03-05', lines: [mount('eve@example.com'), mount('ops@example.com'), mount('mallory@example.com')] }]);
});

after(() => tree?.remove());

describe('the Findings view with packs and parameters', () => {
  let result: FindingsResult;

  before(async () => {
    result = await runFindings({ sources: [tree.root] }, { workerPath: QUERY_WORKER_BUNDLE }, {}, undefined);
  });

  it('runs the built-ins by default, and the detections it is given with their parameter values', async () => {
    assert.deepEqual(result.runs.map((r) => r.detection.id), detections.map((d) => d.id));
    const tuned = withParameterValues(packRule, { ignoreActors: ['ops@example.com', 'mallory@example.com'] });
    const mine = await runFindings({ sources: [tree.root] }, { workerPath: QUERY_WORKER_BUNDLE, detections: [detections.find((d) => d.id === 'mounts')!, packRule, { ...tuned, id: 'team-mounts-tuned' }] });
    assert.deepEqual(mine.runs.map((r) => [r.detection.id, r.result.rowCount]), [['mounts', 3], ['team-mounts', 2], ['team-mounts-tuned', 1]]);
  });

  it('names a pack\'s file in the description, nothing for the built-ins', () => {
    assert.equal(packLabel(packRule.pack), 'mounts.yaml');
    assert.equal(packLabel(detections[0]!.pack), undefined);
    assert.equal(packLabel('C:\\team\\rules.yaml'), 'rules.yaml');
  });

  it('puts the library\'s notes (restricted mode) above the findings, and above "No findings" too', () => {
    const note = 'Restricted mode: the built-in detections run; this workspace\'s detection packs are ignored until you trust it.';
    const roots = rootNodes({ state: 'done', result: { ...result, libraryNotes: [note] } });
    assert.deepEqual(roots[0], { kind: 'note', id: 'library|0', text: note, icon: 'info' });
    assert.ok(roots.slice(1).some((n) => n.kind === 'severity'));
    const clean = rootNodes({ state: 'done', result: { ...result, libraryNotes: [note], runs: result.runs.map((r) => ({ ...r, result: { ...r.result, rows: [], rowCount: 0 } })) } });
    assert.deepEqual(clean.map((n) => (n as Extract<FindingNode, { kind: 'note' }>).text), [note, `No findings: ${detections.length} detections over 3 records`]);
    assert.equal(rootNodes({ state: 'done', result }).some((n) => n.kind === 'note' && n.id.startsWith('library|')), false);
  });

  it('offers "ignore this actor" when the detection has ignoreActors, "ignore this user agent" when it has ignoreAgents and the row a userAgent', () => {
    const run = (detection: Detection, columns: string[], row: unknown[]): DetectionRun => ({ detection, result: { columns, rows: [row], rowCount: 1 } } as unknown as DetectionRun);
    const byId = (id: string) => detections.find((d) => d.id === id)!;
    const deletes = run(byId('permanent-deletes'), ['email', 'userAgent', '_file', '_line'], ['bob@example.com', 'terraform/1.7', 'f.json', 3]);
    assert.equal(rowContext(deletes, 0), 'row hasLine hasActor canIgnoreActor canIgnoreAgent');
    assert.equal(rowAgent(deletes, 0), 'terraform/1.7');
    assert.equal(rowContext(run(byId('permanent-deletes'), ['email', 'userAgent'], ['bob@example.com', null]), 0), 'row hasActor canIgnoreActor');
    assert.equal(rowContext(run(byId('account-owner-change'), ['email', '_file', '_line'], ['bob@example.com', 'f.json', 3]), 0), 'row hasLine hasActor');
    assert.equal(rowContext(run(byId('mounts'), ['email', 'userAgent'], [null, 'curl/8']), 0), 'row');
  });
});
