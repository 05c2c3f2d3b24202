/**
 * Detection tests through the code path of `detect --test` (a real query session): every built-in
 * passes its own tests; a detection that misses its case, fires on a near miss, or whose services
 * leave its records out fails with the reason; published alerts find exactly the rows their
 * condition holds for; and the format's example in docs/detections.md passes its tests.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { detections, type Detection } from '../../../src/core/analyses';
import { readPackText, runDetectionTests, untested } from '../../../src/core/detections';
import { useDetectionTestEngine } from '../../support/detectionEngine';

const HOUR = 3_600_000;
const T0 = Date.UTC(2024, 4, 10, 12);

function record(fields: Record<string, unknown>): string {
  return JSON.stringify({ version: '2.0', auditLevel: 'WORKSPACE_LEVEL', timestamp: T0, workspaceId: '1234567890123456', accountId: 'acc', sourceIPAddress: '192.0.2.1', userAgent: 'test', userIdentity: { email: 'alice@example.com' }, requestId: 'r', requestParams: {}, response: { statusCode: 200, errorMessage: null, result: null }, ...fields });
}

const mountRule = (extra: string) => `id: my-mounts
title: Mounts
severity: low
services: [dbfs]
question: Who mounted storage?
rationale: Mounts share credentials.
sql: SELECT userIdentity.email AS email FROM audit_logs WHERE serviceName = 'dbfs' AND actionName = 'mount'
${extra}`;

const engine = useDetectionTestEngine();

describe('the built-in detections', () => {
  it('each fires on its records and stays quiet on its near misses', async () => {
    const results = await runDetectionTests(detections, engine);
    assert.equal(results.length, detections.length * 2);
    const failed = results.filter((r) => !r.passed).map((r) => `${r.detection.id} ${r.kind}: ${r.reason}`);
    assert.deepEqual(failed, []);
    assert.deepEqual(untested(detections), []);
  });
});

describe('a failing test says why', () => {
  it('a detection that finds nothing in its fires records fails, and one that fires on a near miss', async () => {
    const [d] = readPackText(mountRule(`tests:\n  fires:\n    - ${record({ serviceName: 'dbfs', actionName: 'unmount' })}\n  quiet:\n    - ${record({ serviceName: 'dbfs', actionName: 'mount', userIdentity: { email: 'bob@example.com' } })}\n`), 'mine.yaml');
    const results = await runDetectionTests([d!], engine);
    assert.deepEqual(results.map((r) => [r.kind, r.passed, r.records, r.rows]), [['fires', false, 1, 0], ['quiet', false, 1, 1]]);
    // A run loads only the services and actions its SQL filters on: the unmount is left out, as in a real run.
    assert.equal(results[0]!.reason, 'found nothing in the 1 record it must fire on (1 record left out: not of the services and actions it reads)');
    assert.equal(results[1]!.reason, 'fired on its near misses: 1 row, the first {"email":"bob@example.com"}');
  });

  it('its SQL decides what loads; declared services only when the SQL cannot say, and then they can leave its records out; near misses load whole', async () => {
    const text = mountRule(`tests:\n  fires:\n    - ${record({ serviceName: 'dbfs', actionName: 'mount' })}\n  quiet:\n    - ${record({ serviceName: 'dbfs', actionName: 'unmount' })}\n`).replace('services: [dbfs]', 'services: [clusters]');
    assert.deepEqual((await runDetectionTests(readPackText(text, 'mine.yaml'), engine)).map((r) => r.passed), [true, true]);
    // An OR at the top of its WHERE: no filter can be read from the SQL, so the declared services decide.
    const opaque = text.replace("actionName = 'mount'", "actionName = 'mount' OR 1 = 0");
    const results = await runDetectionTests(readPackText(opaque, 'mine.yaml'), engine);
    assert.deepEqual(results.map((r) => r.passed), [false, true]);
    assert.equal(results[0]!.reason, 'found nothing in the 1 record it must fire on (1 record left out: not of the services and actions it reads)');
    const loose = readPackText(text.replace("actionName = 'mount'", "actionName LIKE '%mount'"), 'mine.yaml');
    const [, quiet] = await runDetectionTests(loose, engine);
    assert.equal(quiet!.passed, false, 'a near miss of a service it does not declare still tests its SQL');
  });

  it('a record that does not load and a SQL error fail their test; a detection without tests gives none', async () => {
    const broken = readPackText(mountRule(`tests:\n  fires:\n    - ${record({ serviceName: 'dbfs', actionName: 'mount' })}\n`).replace("actionName = 'mount'", "actionName = 'mount' AND nope(1)"), 'mine.yaml');
    const [sqlError] = await runDetectionTests(broken, engine);
    assert.equal(sqlError!.passed, false);
    assert.match(sqlError!.reason, /^its SQL failed: .*nope/i);
    const none = readPackText(mountRule(''), 'mine.yaml');
    assert.deepEqual(await runDetectionTests(none, engine), []);
    assert.deepEqual(untested(none).map((d: Detection) => d.id), ['my-mounts']);
  });

  it('parameters and a relative window: "now" is the latest record, the defaults are in the SQL', async () => {
    const text = `id: recent-mounts
title: Recent mounts
severity: low
services: [dbfs]
question: Who mounted storage in the last hours?
rationale: Mounts share credentials.
parameters:
  hours: {default: 2}
  ignore: {default: ["carol@example.com"]}
sql: |
  SELECT userIdentity.email AS email FROM audit_logs
  WHERE serviceName = 'dbfs' AND actionName = 'mount'
    AND timestamp >= unix_millis(current_timestamp()) - {{hours}} * 3600000
    AND userIdentity.email NOT IN {{ignore}}
tests:
  fires:
    - ${record({ serviceName: 'dbfs', actionName: 'mount', timestamp: T0 - HOUR })}
    - ${record({ serviceName: 'dbfs', actionName: 'unmount', timestamp: T0 })}
  quiet:
    - ${record({ serviceName: 'dbfs', actionName: 'mount', timestamp: T0 - 3 * HOUR })}
    - ${record({ serviceName: 'dbfs', actionName: 'mount', timestamp: T0, userIdentity: { email: 'carol@example.com' } })}
`;
    const results = await runDetectionTests(readPackText(text, 'recent.yaml'), engine);
    assert.deepEqual(results.map((r) => `${r.kind} ${r.passed} ${r.reason}`), ['fires true fired: 1 row from 2 records', 'quiet true quiet on 2 near misses']);
  });
});

describe('published queries and alerts over real records', () => {
  const fixture = readFileSync(path.join(__dirname, 'fixtures', 'queries_and_alerts.json'), 'utf8');

  async function rowsOf(d: Detection, lines: string[]): Promise<number> {
    const withTests = { ...d, tests: { fires: lines, quiet: [] } };
    const [result] = await runDetectionTests([withTests], engine);
    assert.doesNotMatch(result!.reason, /SQL failed|did not load/);
    return result!.rows;
  }

  it('a finding is each row where the alert condition holds; without an alert every row is one', async () => {
    const list = readPackText(fixture, 'queries_and_alerts.json');
    const conf = list.find((d) => d.id === 'changes_to_workspace_configuration')!;
    const edit = (t: number, key: string) => record({ serviceName: 'workspace', actionName: 'workspaceConfEdit', timestamp: t, requestParams: { workspaceConfKeys: key, workspaceConfValues: 'true' } });
    assert.equal(await rowsOf(conf, [edit(T0, 'enableResultsDownloading'), edit(T0 - 2 * HOUR, 'enableExportNotebook')]), 2);
    assert.equal(await rowsOf(conf, [edit(T0, 'enableResultsDownloading'), edit(T0 - 30 * HOUR, 'enableExportNotebook')]), 1, 'outside the last 24 hours');
    const failures = list.find((d) => d.id === 'ip_access_list_failures_last_90_days')!;
    const denied = (ip: string) => record({ serviceName: 'accounts', actionName: 'IpAccessDenied', sourceIPAddress: ip });
    assert.equal(await rowsOf(failures, [denied('198.51.100.1'), denied('198.51.100.2'), denied('198.51.100.2')]), 2);
  });

  it('a threshold above the rows\' counts leaves them out; GREATER_THAN_OR_EQUAL reaches it', async () => {
    const query = "SELECT user_identity.email AS email, count(*) AS total FROM system_access_audit WHERE action_name = 'mount' GROUP BY 1";
    const pack = JSON.stringify([
      { name: 'above', query, alert: { options: { column: 'total', op: '>', value: '2' } } },
      { name: 'at-least', query, alert: { options: { column: 'total', op: 'GREATER_THAN_OR_EQUAL', value: '2' } } },
    ]);
    const [above, atLeast] = readPackText(pack, 'p.json');
    const mounts = [record({ serviceName: 'dbfs', actionName: 'mount' }), record({ serviceName: 'dbfs', actionName: 'mount' }), record({ serviceName: 'dbfs', actionName: 'mount', userIdentity: { email: 'bob@example.com' } })];
    assert.equal(await rowsOf(above!, mounts), 0);
    assert.equal(await rowsOf(atLeast!, mounts), 1);
  });
});

describe('the documentation', () => {
  it('the format example in docs/detections.md reads and passes its tests', async () => {
    const doc = readFileSync(path.resolve(__dirname, '../../../docs/detections.md'), 'utf8');
    const example = /## The detection format[\s\S]*?```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
    assert.ok(example, 'the example is missing');
    const list = readPackText(example, 'example.yaml');
    const results = await runDetectionTests(list, engine);
    assert.deepEqual(results.map((r) => [r.kind, r.passed, r.reason]), [['fires', true, 'fired: 1 row from 1 record'], ['quiet', true, 'quiet on 1 near miss']]);
  });
});
