/**
 * Detections exported as Databricks SQL queries and alerts: every request validates against the
 * documented request schemas (schema/databricks-*.schema.json), the query text is the warehouse
 * engine's statement, published alerts keep their condition, the others alert on a count of
 * their rows, and the exported SQL, mapped back to the local engine, still passes each built-in
 * detection's tests.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { detections, type Detection } from '../../../src/core/analyses';
import { warehouseStatement } from '../../../src/core/databricks';
import { alertExportIndex, deployScript, exportAlerts, findingsQuery, FINDINGS_COLUMN, QUERY_ID_PLACEHOLDER, type ExportedDetection } from '../../../src/core/databricks/alerts';
import { readPackText, runDetectionTests } from '../../../src/core/detections';
import { withParameterValues } from '../../../src/core/detections/overrides';
import { AuditLensError } from '../../../src/core/errors';
import { splitAuditLogsCte } from '../../databricks-server';
import { writeDeliveryTree } from '../../support/deliveryTree';
import { useDetectionTestEngine } from '../../support/detectionEngine';

const ROOT = path.resolve(__dirname, '../../..');
const SOURCE = 'gs://audit-delivery/logs';
const ajv = new Ajv2020({ allErrors: true, strict: true });
const validQuery = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schema/databricks-query-create.schema.json'), 'utf8')) as object);
const validAlert = ajv.compile(JSON.parse(readFileSync(path.join(ROOT, 'schema/databricks-alert-create.schema.json'), 'utf8')) as object);
const published = readPackText(readFileSync(path.join(ROOT, 'test/core/analyses/fixtures/queries_and_alerts.json'), 'utf8'), 'queries_and_alerts.json');

function assertValid(e: ExportedDetection): void {
  assert.ok(validQuery(e.query), `${e.detection.id} query: ${ajv.errorsText(validQuery.errors)}`);
  assert.ok(validAlert(e.alert), `${e.detection.id} alert: ${ajv.errorsText(validAlert.errors)}`);
  const deployed = { alert: { ...e.alert.alert, query_id: 'dee5cca8-1c79-4b5e-a711-e7f9d241bdf6' } };
  assert.ok(validAlert(deployed), `${e.detection.id} alert with its query id: ${ajv.errorsText(validAlert.errors)}`);
}

function published1(id: string): Detection {
  const found = published.find((d) => d.id === id);
  assert.ok(found, id);
  return found;
}

describe('the request schemas', () => {
  it('refuse what the APIs do not take, so a passing export means something', () => {
    const alert = { alert: { display_name: 'a', query_id: 'q', condition: { op: 'GREATER_THAN', operand: { column: { name: 'c' } }, threshold: { value: { double_value: 0 } } } } };
    assert.ok(validAlert(alert), ajv.errorsText(validAlert.errors));
    assert.equal(validAlert({ alert: { ...alert.alert, condition: { ...alert.alert.condition, op: '>' } } }), false, 'op is the API word, not the symbol');
    assert.equal(validAlert({ alert: { ...alert.alert, condition: { ...alert.alert.condition, threshold: { value: { double_value: 0, string_value: '0' } } } } }), false, 'one value kind');
    assert.equal(validAlert({ alert: { ...alert.alert, condition: { op: 'EQUAL', operand: { column: { name: 'c' } } } } }), false, 'a comparison needs a threshold');
    assert.ok(validAlert({ alert: { ...alert.alert, condition: { op: 'IS_NULL', operand: { column: { name: 'c' } } } } }), 'IS_NULL needs none');
    assert.equal(validAlert({ alert: { ...alert.alert, options: {} } }), false, 'the legacy shape is not this API');
    assert.equal(validQuery({ query: { display_name: 'q', query: 'SELECT 1' } }), false, 'query_text, not the legacy query');
    assert.equal(validQuery({ query: { display_name: 'q', query_text: 'SELECT 1', run_as_mode: 'ME' } }), false);
  });
});

describe('exportAlerts', () => {
  it('exports every built-in detection as a valid query and alert, named uniquely', () => {
    const exported = exportAlerts(detections, { scope: { sources: [SOURCE] }, warehouseId: 'a7066a8ef796be84' });
    assert.deepEqual(exported.map((e) => e.detection.id), detections.map((d) => d.id));
    for (const e of exported) {
      assertValid(e);
      assert.equal(e.query.query.warehouse_id, 'a7066a8ef796be84');
      assert.equal(e.alert.alert.query_id, QUERY_ID_PLACEHOLDER);
      assert.equal(e.query.query.display_name, `${e.detection.title} (${e.detection.id})`);
      assert.ok(e.query.query.description?.startsWith(e.detection.question), e.detection.id);
    }
    assert.equal(new Set(exported.map((e) => e.name.toLowerCase())).size, exported.length);
  });

  it("uses the warehouse engine's statement for the query: read_files over the bucket, or the audit table", () => {
    const failed = detections.find((d) => d.id === 'failed-logins')!;
    const [overFiles] = exportAlerts([failed], { scope: { sources: [SOURCE] } });
    assert.equal(overFiles!.query.query.query_text, warehouseStatement(findingsQuery(failed.sql), { sources: [SOURCE] }).statement);
    assert.match(overFiles!.query.query.query_text, /read_files\('gs:\/\/audit-delivery\/logs\/', format => 'json'\)/);
    assert.equal(overFiles!.query.query.warehouse_id, undefined, 'no warehouse given, none named');
    const [overTable] = exportAlerts([failed], { scope: { sources: [], auditTable: 'main.security.audit_logs' } });
    assert.match(overTable!.query.query.query_text, /^WITH audit_logs AS \(\nSELECT \* FROM main\.security\.audit_logs\n\)/);
    assert.doesNotMatch(overTable!.query.query.query_text, /read_files/);
  });

  it('alerts on a count of the rows when the detection has no alert of its own', () => {
    const [e] = exportAlerts([detections[0]!], { scope: { sources: [SOURCE] } });
    assert.deepEqual(e!.alert.alert.condition, { op: 'GREATER_THAN', operand: { column: { name: FINDINGS_COLUMN } }, threshold: { value: { double_value: 0 } }, empty_result_state: 'OK' });
    assert.match(e!.query.query.query_text, /SELECT detection_rows\.\*, COUNT\(\*\) OVER \(\) AS audit_lens_findings\nFROM \(/);
    assert.equal(e!.condition, 'audit_lens_findings > 0');
  });

  it("keeps a published alert's column, op and value, over its query as written, on system.access.audit", () => {
    const conf = published1('changes_to_workspace_configuration');
    const [e] = exportAlerts([conf], { scope: { sources: [] } });
    assertValid(e!);
    assert.deepEqual(e!.alert.alert.condition, { op: 'GREATER_THAN', operand: { column: { name: 'total' } }, threshold: { value: { double_value: 0 } }, empty_result_state: 'OK' });
    assert.equal(e!.query.query.query_text, conf.sqlTemplate.replace('FROM system_access_audit', 'FROM system.access.audit'), 'the query unfiltered: the alert applies the condition');
    assert.equal(e!.condition, 'total > "0"');
    const plain = published1('ip_access_list_failures_last_90_days');
    assert.equal(exportAlerts([plain], { scope: { sources: [] } })[0]!.alert.alert.condition.operand.column.name, FINDINGS_COLUMN, 'no alert: the rows are counted');
  });

  it("maps each operator to the API's word and types the threshold", () => {
    const base = published1('changes_to_workspace_configuration');
    const cases: [Detection['alert'], string, object][] = [
      [{ column: 'n', op: '>=', value: '2.5' }, 'GREATER_THAN_OR_EQUAL', { double_value: 2.5 }],
      [{ column: 'n', op: '<', value: 3 }, 'LESS_THAN', { double_value: 3 }],
      [{ column: 'n', op: '<=', value: '-1' }, 'LESS_THAN_OR_EQUAL', { double_value: -1 }],
      [{ column: 's', op: '==', value: 'TRIGGER' }, 'EQUAL', { string_value: 'TRIGGER' }],
      [{ column: 'b', op: '!=', value: true }, 'NOT_EQUAL', { bool_value: true }],
    ];
    for (const [alert, op, value] of cases) {
      const [e] = exportAlerts([{ ...base, alert }], { scope: { sources: [] } });
      assertValid(e!);
      assert.equal(e!.alert.alert.condition.op, op);
      assert.deepEqual(e!.alert.alert.condition.threshold?.value, value);
    }
  });

  it('exports the SQL with the parameter values given, not only the defaults', () => {
    const secrets = detections.find((d) => Object.keys(d.parameters).includes('ignoreActors'))!;
    const [e] = exportAlerts([withParameterValues(secrets, { ignoreActors: ['etl@example.com'] })], { scope: { sources: [SOURCE] } });
    assert.match(e!.query.query.query_text, /\('etl@example\.com'\)/);
  });

  it('names the detection that reads audit_logs when the export has nowhere to read it from', () => {
    const failed = detections.find((d) => d.id === 'failed-logins')!;
    assert.throws(() => exportAlerts([failed], { scope: { sources: [] } }), (e: unknown) => e instanceof AuditLensError && e.code === 'usage' && e.userMessage.includes("'failed-logins' reads audit_logs"));
    assert.throws(() => exportAlerts([failed], { scope: { sources: ['/var/logs'] } }), (e: unknown) => e instanceof AuditLensError && e.code === 'usage' && e.userMessage.startsWith("Detection 'failed-logins':"));
  });

  it('keeps braces and markup of detection text out of the notification templates', () => {
    const odd = { ...detections[0]!, title: 'Odd {{ALERT_URL}} title', question: 'Is <b>this</b> {{QUERY_URL}}?' };
    const [e] = exportAlerts([odd], { scope: { sources: [SOURCE] } });
    assert.equal(e!.alert.alert.custom_subject, `[${odd.severity.toUpperCase()}] Odd ALERT_URL title: {{ALERT_STATUS}}`);
    assert.ok(e!.alert.alert.custom_body!.startsWith('<p>Is &lt;b&gt;this&lt;/b&gt; &#123;&#123;QUERY_URL&#125;&#125;?</p>'), e!.alert.alert.custom_body);
  });

  it('gives ids that clash once made file names distinct names', () => {
    const a = { ...detections[0]!, id: 'Team/Rule' };
    const b = { ...detections[0]!, id: 'team_rule' };
    assert.deepEqual(exportAlerts([a, b], { scope: { sources: [SOURCE] } }).map((e) => e.name), ['Team_Rule', 'team_rule-2']);
  });

  it('indexes every file and says how to deploy, with the warehouse from the environment when none was given', () => {
    const exported = exportAlerts(detections.slice(0, 2), { scope: { sources: [SOURCE] } });
    const index = alertExportIndex(exported, { sources: [SOURCE] }, undefined);
    assert.deepEqual(index.detections.map((d) => [d.query, d.alert]), exported.map((e) => [`queries/${e.name}.json`, `alerts/${e.name}.json`]));
    assert.equal(index.apis.alerts.path, '/api/2.0/sql/alerts');
    assert.equal(index.warehouseId, null);
    assert.deepEqual(index.auditLogs, { readFiles: [SOURCE] });
    assert.match(deployScript(undefined), /DATABRICKS_WAREHOUSE_ID/);
    assert.doesNotMatch(deployScript('abc'), /DATABRICKS_WAREHOUSE_ID/);
  });
});

describe('the exported SQL in the local engine', () => {
  const engine = useDetectionTestEngine();

  it("mapped back from the warehouse statement, still passes each built-in's tests, with the count column", async () => {
    const exported = exportAlerts(detections, { scope: { sources: [SOURCE] } });
    const local = exported.map((e) => {
      const split = splitAuditLogsCte(e.query.query.query_text);
      return { ...e.detection, sql: split ? split.cell : e.query.query.query_text };
    });
    const results = await runDetectionTests(local, engine);
    const failed = results.filter((r) => !r.passed).map((r) => `${r.detection.id} ${r.kind}: ${r.reason}`);
    assert.deepEqual(failed, []);
    const mounts = local.find((d) => d.id === 'mounts')!;
    const tree = writeDeliveryTree([{ workspaceId: '1234567890123456', date: '2024-05-10', lines: [...mounts.tests.fires, ...mounts.tests.fires] }]);
    try {
      await engine.load(tree.root, {});
      const result = await engine.query(mounts.sql, {});
      assert.ok(result.rowCount >= 2, `rows: ${result.rowCount}`);
      const column = result.columns.indexOf(FINDINGS_COLUMN);
      assert.equal(column, result.columns.length - 1, 'the count column comes last');
      for (const row of result.rows) assert.equal(Number(row[column]), result.rowCount);
    } finally {
      tree.remove();
    }
  });
});
