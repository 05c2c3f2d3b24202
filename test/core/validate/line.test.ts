import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateDocument, validateDocumentInSlices, validateLine, type Finding } from '../../../src/core/validate';
import { aLine, aRecord } from '../../support/records';

const at = { file: 'auditlogs_1.json', line: 7 };

function codes(findings: Finding[]): string[] {
  return findings.map((f) => `${f.severity} ${f.code}`);
}

/** The text a finding's columns cover. */
function covered(line: string, f: Finding): string {
  return line.slice(f.column - 1, f.endColumn - 1);
}

test('a delivered record has no findings', () => {
  const line = aLine();
  const result = validateLine(line, at);
  assert.deepEqual(result, { isRecord: true, findings: [], value: JSON.parse(line) });
});

test('findings carry file and line, and point at the exact value', () => {
  const line = aLine({ auditLevel: 'ORG_LEVEL' });
  const [f] = validateLine(line, at).findings;
  assert.equal(f?.file, 'auditlogs_1.json');
  assert.equal(f?.line, 7);
  assert.equal(f?.code, 'bad-audit-level');
  assert.equal(covered(line, f!), '"ORG_LEVEL"');
});

test('an ISO timestamp is an error with a hint to use epoch milliseconds', () => {
  const line = aLine({ timestamp: '2024-03-05T10:30:00Z' });
  const [f] = validateLine(line, at).findings;
  assert.equal(f?.code, 'wrong-type');
  assert.equal(f?.severity, 'error');
  assert.match(f!.message, /epoch milliseconds \(1709634600000\)/);
  assert.equal(covered(line, f!), '"2024-03-05T10:30:00Z"');
});

test('missing fields are errors, but the object is still a record', () => {
  const record = aRecord();
  delete record.requestId;
  const result = validateLine(JSON.stringify(record), at);
  assert.equal(result.isRecord, true);
  assert.deepEqual(codes(result.findings), ['error missing-field']);
  assert.match(result.findings[0]!.message, /requestId/);
});

test('non-object lines are rejected', () => {
  for (const text of ['[1,2]', '"text"', '42', 'null', 'true']) {
    const result = validateLine(text, at);
    assert.equal(result.isRecord, false, text);
    assert.deepEqual(codes(result.findings), ['error not-object']);
  }
});

test('invalid JSON says where', () => {
  const line = '{"version":"2.0",,}';
  const [f] = validateLine(line, at).findings;
  assert.equal(f?.code, 'invalid-json');
  assert.equal(f?.column, 18);
  assert.match(f!.message, /column 18/);
});

test('workspace id and date are checked against the folder', () => {
  const line = aLine({ workspaceId: '99', timestamp: Date.UTC(2024, 2, 4, 23, 59) });
  const result = validateLine(line, { ...at, expectedWorkspaceId: '1234567890123456', expectedDate: '2024-03-05' });
  assert.deepEqual(codes(result.findings), ['warning date-mismatch', 'warning workspace-mismatch']);
  assert.equal(covered(line, result.findings[1]!), '"99"');
  assert.deepEqual(validateLine(aLine(), { ...at, expectedWorkspaceId: '1234567890123456', expectedDate: '2024-03-05' }).findings, []);
});

test('account-level records in the workspaceId=0 folder may name a workspace', () => {
  const line = aLine({ auditLevel: 'ACCOUNT_LEVEL', serviceName: 'accountsManager', actionName: 'listSubscriptions', requestParams: { account_id: 'a' } });
  assert.deepEqual(validateLine(line, { ...at, expectedWorkspaceId: '0' }).findings, []);
  const workspaceLevel = aLine({ workspaceId: '5' });
  assert.deepEqual(codes(validateLine(workspaceLevel, { ...at, expectedWorkspaceId: '0' }).findings), ['warning workspace-mismatch']);
});

test('a workspace id past 2^53 written as a number is compared by its digits', () => {
  const line = aLine({ workspaceId: 0 }).replace('"workspaceId":0', '"workspaceId":9007199254740993');
  const result = validateLine(line, { ...at, expectedWorkspaceId: '9007199254740993' });
  assert.deepEqual(codes(result.findings), ['warning unsafe-integer']);
  assert.match(result.findings[0]!.message, /9007199254740992/);
});

test('catalog findings are information: unknown service, unknown action, undocumented key', () => {
  assert.deepEqual(codes(validateLine(aLine({ serviceName: 'noSuchService' }), at).findings), ['information unknown-service']);
  assert.deepEqual(codes(validateLine(aLine({ actionName: 'explode' }), at).findings), ['information unknown-action']);
  const line = aLine({ requestParams: { cluster_id: 'c', reason: 'x' } });
  const result = validateLine(line, at);
  assert.deepEqual(codes(result.findings), ['information undocumented-param']);
  assert.equal(covered(line, result.findings[0]!), '"reason"');
});

test('service names match case-insensitively, keys by exact spelling', () => {
  const line = aLine({ serviceName: 'sqlAnalytics', actionName: 'updateDashboard', requestParams: { DashboardId: 'd1' } });
  const result = validateLine(line, at);
  assert.deepEqual(codes(result.findings), ['information key-casing']);
  assert.match(result.findings[0]!.message, /dashboardId/);
});

test('the record level picks the accounts service of that level', () => {
  const line = aLine({ serviceName: 'accounts', actionName: 'gcpWorkspaceBrowserLogin', auditLevel: 'ACCOUNT_LEVEL', requestParams: { user: 'u' } });
  assert.deepEqual(validateLine(line, at).findings, []);
});

test('non-string parameter values: scalars are information, structures a warning', () => {
  const line = aLine({ requestParams: { cluster_id: 5 } });
  assert.deepEqual(codes(validateLine(line, at).findings), ['information non-string-param']);
  const nested = aLine({ requestParams: { cluster_id: { a: 1 } } });
  const result = validateLine(nested, at);
  assert.deepEqual(codes(result.findings), ['warning non-string-param']);
  assert.equal(covered(nested, result.findings[0]!), '{"a":1}');
});

test('truncated values and a TRUNCATED map are warnings', () => {
  const cut = aLine({ requestParams: { cluster_id: 'abc... truncated' } });
  assert.deepEqual(codes(validateLine(cut, at).findings), ['warning truncated-value']);
  const gone = aLine({ requestParams: { TRUNCATED: '' } });
  assert.deepEqual(codes(validateLine(gone, at).findings), ['warning truncated-params']);
});

test('top-level casing variants are warnings, and explain the missing field', () => {
  const record = aRecord();
  delete record.serviceName;
  const line = JSON.stringify({ ServiceName: 'clusters', ...record });
  const result = validateLine(line, at);
  assert.deepEqual(codes(result.findings), ['error missing-field', 'warning key-casing']);
  assert.match(result.findings[0]!.message, /ServiceName/);
  assert.equal(covered(line, result.findings[1]!), '"ServiceName"');
});

test('duplicate keys point at the repeat', () => {
  const line = aLine().replace('"cluster_id":"0305-abc"', '"cluster_id":"a","cluster_id":"b"');
  const result = validateLine(line, at);
  assert.deepEqual(codes(result.findings), ['warning duplicate-key']);
  assert.equal(line.indexOf('"cluster_id"', line.indexOf('"cluster_id"') + 1) + 1, result.findings[0]!.column);
});

test('validateDocument counts lines, skips blank ones and keeps 1-based positions', () => {
  const text = ['', aLine(), '   ', 'oops', aLine({ auditLevel: 'X' }), ''].join('\r\n');
  const result = validateDocument(text, { file: 'doc' });
  assert.deepEqual(result.summary, { lines: 3, records: 2, rejected: 1, errors: 2, warnings: 0, information: 0 });
  assert.deepEqual(result.findings.map((f) => [f.line, f.code]), [
    [4, 'invalid-json'],
    [5, 'bad-audit-level'],
  ]);
});

test('validateDocumentInSlices pauses every N lines and returns what validateDocument returns', () => {
  const text = Array.from({ length: 25 }, (_, i) => (i % 7 === 3 ? 'oops' : aLine())).join('\n');
  const slices = validateDocumentInSlices(text, { file: 'doc' }, 10);
  let pauses = 0;
  let step = slices.next();
  while (!step.done) {
    pauses++;
    step = slices.next();
  }
  assert.equal(pauses, 2, '25 lines in slices of 10 pause twice');
  assert.deepEqual(step.value, validateDocument(text, { file: 'doc' }));
});

test('validateDocument ends lines at a lone CR as editors do, and numbers them alike', () => {
  const text = [aLine(), 'oops', aLine({ auditLevel: 'X' })].join('\r') + '\r\n';
  const result = validateDocument(text, { file: 'doc' });
  assert.deepEqual(result.summary, { lines: 3, records: 2, rejected: 1, errors: 2, warnings: 0, information: 0 });
  assert.deepEqual(result.findings.map((f) => [f.line, f.code]), [
    [2, 'invalid-json'],
    [3, 'bad-audit-level'],
  ]);
});

test("lines of the current reference's services are checked against their entries", () => {
  const uc = { serviceName: 'unityCatalog', actionName: 'createMetastoreAssignment', auditLevel: 'ACCOUNT_LEVEL' };
  const documented = aLine({ ...uc, requestParams: { workspace_id: '1', metastore_id: 'm', default_catalog_name: 'main' } });
  assert.deepEqual(codes(validateLine(documented, at).findings), []);
  const extra = aLine({ ...uc, requestParams: { workspace_id: '1', metastoreId: 'm' } });
  const result = validateLine(extra, at);
  assert.deepEqual(codes(result.findings), ['information undocumented-param']);
  assert.equal(covered(extra, result.findings[0]!), '"metastoreId"');
  assert.match(result.findings[0]!.message, /unityCatalog\.createMetastoreAssignment/);
  const verbose = aLine({ serviceName: 'databrickssql', actionName: 'commandSubmit', requestParams: { commandText: 'SELECT 1', warehouseId: 'w', commandId: 'c' } });
  assert.deepEqual(codes(validateLine(verbose, at).findings), []);
});

test("a service's older and newer names find each other's actions and keys", () => {
  const newer = aLine({ serviceName: 'databrickssql', actionName: 'createQuery', requestParams: { queryId: 'q' } });
  assert.deepEqual(codes(validateLine(newer, at).findings), []);
  const older = aLine({ serviceName: 'sqlanalytics', actionName: 'commandFinish', requestParams: { warehouseId: 'w', commandId: 'c', extra: 'x' } });
  assert.deepEqual(codes(validateLine(older, at).findings), ['information undocumented-param']);
  const model = aLine({ serviceName: 'modelRegistry', actionName: 'deleteModelVersion', requestParams: { name: 'm', version: '1' } });
  assert.deepEqual(codes(validateLine(model, at).findings), []);
});

test('an action missing from a partly catalogued service says the catalog holds only some', () => {
  const result = validateLine(aLine({ serviceName: 'unityCatalog', actionName: 'createCatalog', auditLevel: 'ACCOUNT_LEVEL' }), at);
  assert.deepEqual(codes(result.findings), ['information unknown-action']);
  assert.match(result.findings[0]!.message, /holds only some/);
  const full = validateLine(aLine({ actionName: 'explode' }), at);
  assert.match(full.findings[0]!.message, /is not a documented action of clusters/);
});
