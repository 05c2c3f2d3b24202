/**
 * Reading detection packs: Audit Lens' YAML/JSON format with its schema, parameters expanded as
 * quoted literals, errors that name the file, line, detection and field, ids unique across packs,
 * folders, and published queries and alerts read as they are.
 */
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BUILTIN_PACK, detections, type Detection } from '../../../src/core/analyses';
import { combineDetections, expandParameters, readPacks, readPackText } from '../../../src/core/detections';
import { AuditLensError } from '../../../src/core/errors';
import { parse, stringify } from 'yaml';

const FIXTURE = path.join(__dirname, 'fixtures', 'queries_and_alerts.json');

const ONE = `id: token-burst
title: Token bursts
severity: medium
services: [accounts]
mitre: [T1098.001, T1078]
references: [https://example.com/why]
question: Who made many tokens?
rationale: Many tokens at once look like preparation.
parameters:
  ignoreActors:
    default: [ci-bot@example.com, "o'brien@example.com"]
  minTokens:
    default: 3
    description: How many make a finding.
  actionName:
    default: generateDbToken
sql: |
  SELECT userIdentity.email AS email, COUNT(*) AS tokens
  FROM audit_logs
  WHERE serviceName = 'accounts' AND actionName = {{actionName}}
    AND userIdentity.email NOT IN {{ ignoreActors }}
  GROUP BY 1
  HAVING COUNT(*) >= {{minTokens}}
tests:
  fires:
    - {"timestamp": 1, "serviceName": "accounts"}
    - '{"timestamp": 2, "serviceName": "accounts"}'
  quiet: []
`;

/** The error a pack text gives, which must be a usage error. */
function errorOf(text: string, file = 'team/mine.yaml'): string {
  try {
    readPackText(text, file);
  } catch (e) {
    assert.ok(e instanceof AuditLensError, String(e));
    assert.equal(e.code, 'usage');
    return e.userMessage;
  }
  assert.fail('the pack was read without an error');
}

const withField = (field: string, value: string) => ONE.replace(new RegExp(`^${field}: .*$`, 'm'), `${field}: ${value}`);

describe('the detection format', () => {
  it('reads one detection with its metadata, tests as JSON lines, and the pack it came from', () => {
    const [d] = readPackText(ONE, 'team/mine.yaml');
    assert.ok(d);
    assert.equal(d.id, 'token-burst');
    assert.equal(d.category, 'detection');
    assert.equal(d.pack, 'team/mine.yaml');
    assert.deepEqual(d.services, ['accounts']);
    assert.deepEqual(d.mitre, ['T1098.001', 'T1078']);
    assert.deepEqual(d.references, ['https://example.com/why']);
    assert.deepEqual(d.tests.fires.map((line) => JSON.parse(line)), [{ timestamp: 1, serviceName: 'accounts' }, { timestamp: 2, serviceName: 'accounts' }]);
    assert.deepEqual(d.tests.quiet, []);
    assert.ok(d.sqlTemplate.includes('{{minTokens}}'));
  });

  it('expands parameters to quoted literals and lists, never pasted text', () => {
    const [d] = readPackText(ONE, 'mine.yaml');
    assert.ok(d!.sql.includes("actionName = 'generateDbToken'"), d!.sql);
    assert.ok(d!.sql.includes("NOT IN ('ci-bot@example.com', 'o\\'brien@example.com')"), d!.sql);
    assert.ok(d!.sql.includes('HAVING COUNT(*) >= 3'), d!.sql);
    const injected = expandParameters('x = {{p}}', { p: { default: '' } }, { p: "a' OR '1'='1" });
    assert.equal(injected, "x = 'a\\' OR \\'1\\'=\\'1'");
    assert.equal(expandParameters('x IN {{p}}', { p: { default: [] } }), 'x IN (SELECT NULL WHERE 1 = 0)');
    assert.equal(expandParameters('x = {{p}} AND y = {{q}}', { p: { default: true }, q: { default: 2.5 } }), 'x = TRUE AND y = 2.5');
    assert.equal(expandParameters('x = {{p}}', { p: { default: 1 } }, { p: 'back\\slash' }), "x = 'back\\\\slash'");
  });

  it('reads a pack of several detections', () => {
    const pack = stringify({ name: 'team', detections: [parse(ONE), { ...parse(ONE), id: 'token-burst-2' }] });
    assert.deepEqual(readPackText(pack, 'pack.yaml').map((d) => d.id), ['token-burst', 'token-burst-2']);
  });

  it('names the file, line, detection and field of what is wrong', () => {
    assert.equal(errorOf(withField('severity', 'critical')), "Detection pack team/mine.yaml:3: detection 'token-burst', field 'severity': must be one of high, medium, low, info");
    assert.match(errorOf(ONE.replace('severity:', 'sevrity:')), /^Detection pack team\/mine\.yaml:3: detection 'token-burst', field 'sevrity': unknown field \(allowed: id, title, severity/);
    assert.match(errorOf(ONE.replace(/^sql: \|[\s\S]*?^tests:/m, 'tests:')), /team\/mine\.yaml:1: detection 'token-burst': missing required field 'sql'/);
    assert.match(errorOf(withField('mitre', '[T1098.001, T12]')), /mine\.yaml:5: detection 'token-burst', field 'mitre\[1\]': must be a MITRE ATT&CK technique id/);
    assert.match(errorOf(withField('references', '[ftp://x]')), /field 'references\[0\]': must be an http\(s\) URL/);
    assert.match(errorOf(withField('id', 'has space')), /field 'id': must be letters and digits/);
    assert.match(errorOf(ONE.replace('{{minTokens}}', '{{minToken}}')), /:17: detection 'token-burst', field 'sql': refers to \{\{minToken\}\}, which is not a declared parameter/);
    assert.match(errorOf(ONE.replace('actionName = {{actionName}}', "actionName = 'x'")), /:15: detection 'token-burst', field 'parameters\.actionName': is declared, but the SQL never refers to \{\{actionName\}\}/);
    assert.match(errorOf(ONE.replace('default: 3', 'default: {a: 1}')), /field 'parameters\.minTokens\.default': must be a string, number or boolean, or a list of them/);
    assert.match(errorOf(ONE.replace(`'{"timestamp": 2, "serviceName": "accounts"}'`, "'not json'")), /:27: detection 'token-burst', field 'tests\.fires\[1\]': is not the JSON of an audit record/);
    assert.match(errorOf('id: x\ntitle: [unclosed\n'), /^Detection pack team\/mine\.yaml:\d+: not valid YAML or JSON/);
    assert.match(errorOf('id: a\nid: b\n'), /mine\.yaml:2: not valid YAML or JSON: .*[Uu]nique/);
    assert.match(errorOf('- 1\n- 2\n'), /holds neither a detection .* a pack .* nor published queries/);
    assert.match(errorOf('{"queries_and_alerts": []}', 'x.json'), /x\.json: holds neither/);
  });

  it('names the detection of a pack by its id, or by its position when it has none', () => {
    const pack = `detections:\n  - id: first\n    title: t\n    severity: high\n    question: q\n    rationale: r\n    sql: SELECT 1\n  - title: t\n    severity: high\n    question: q\n    rationale: r\n    sql: SELECT 1\n`;
    assert.match(errorOf(pack.replace('severity: high', 'severity: huge')), /mine\.yaml:4: detection 'first', field 'severity': must be one of/);
    assert.match(errorOf(pack), /mine\.yaml:8: detection '#2': missing required field 'id'/);
  });
});

describe('packs on disk', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'audit-lens-packs-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('reads a folder\'s .yaml, .yml and .json files by name, and nothing else', () => {
    const folder = path.join(root, 'team');
    mkdirSync(folder);
    writeFileSync(path.join(folder, 'b.yml'), ONE.replace('id: token-burst', 'id: b-rule'));
    writeFileSync(path.join(folder, 'a.yaml'), ONE.replace('id: token-burst', 'id: a-rule'));
    writeFileSync(path.join(folder, 'c.json'), readFileSync(FIXTURE));
    writeFileSync(path.join(folder, 'notes.txt'), 'not a pack');
    const list = readPacks([folder]);
    assert.deepEqual(list.map((d) => d.id), ['a-rule', 'b-rule', 'changes_to_workspace_configuration', 'ip_access_list_failures_last_90_days', 'ip_access_list_changes']);
    assert.equal(list[0]!.pack, path.join(folder, 'a.yaml'));
    assert.equal(list[2]!.pack, path.join(folder, 'c.json'));
  });

  it('refuses an id defined twice, naming both packs, the built-ins included', () => {
    const a = readPackText(ONE, 'one.yaml');
    const b = readPackText(ONE, 'two.yaml');
    assert.throws(() => combineDetections([a, b]), (e: AuditLensError) => e.code === 'usage' && e.userMessage === "Detection id 'token-burst' is defined in one.yaml and in two.yaml: ids must be unique across packs.");
    const clash = readPackText(ONE.replace('id: token-burst', 'id: mounts'), 'mine.yaml');
    assert.throws(() => combineDetections([detections, clash]), /'mounts' is defined in builtin and in mine\.yaml/);
    const twice = readPackText(stringify({ detections: [parse(ONE), parse(ONE)] }), 'p.yaml');
    assert.throws(() => combineDetections([twice]), /'token-burst' is defined twice in p\.yaml/);
  });

  it('says when a path is missing or a folder holds no pack file', () => {
    assert.throws(() => readPacks([path.join(root, 'nope.yaml')]), (e: AuditLensError) => e.code === 'usage' && /nope\.yaml: cannot be read \(ENOENT\)/.test(e.userMessage));
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    assert.throws(() => readPacks([empty]), /holds no \*\.yaml, \*\.yml or \*\.json file/);
  });
});

describe('published queries and alerts', () => {
  const text = readFileSync(FIXTURE, 'utf8');

  it('loads the nested shape as it is: id from name, question from the description, medium by default', () => {
    const list = readPackText(text, 'queries_and_alerts.json');
    const [conf, failures, changes] = list as [Detection, Detection, Detection];
    assert.equal(conf.id, 'changes_to_workspace_configuration');
    assert.equal(conf.title, 'Changes to workspace configuration');
    assert.equal(conf.question, 'Many workspace-level configurations perform a security-enforcing function.');
    assert.ok(conf.rationale.startsWith('Many workspace-level'));
    assert.equal(conf.severity, 'medium');
    assert.deepEqual(conf.services, [], 'reads every service');
    assert.deepEqual(conf.alert, { column: 'total', op: '>', value: '0' });
    assert.match(conf.sql, /^SELECT \* FROM \(\nSELECT event_time[\s\S]*\n\) AS alert_rows\nWHERE alert_rows\.`total` > 0$/);
    assert.equal(failures.alert, undefined);
    assert.equal(failures.sql, failures.sqlTemplate, 'without an alert every row is a finding');
    assert.equal(changes.pack, 'queries_and_alerts.json');
  });

  it('loads the array shape, the API\'s operator words, a top-level condition and a severity field', () => {
    const entries = [
      { name: 'a', query: 'SELECT 1 AS n;', alert: { column: 'n', op: 'GREATER_THAN_OR_EQUAL', value: 2 } },
      { name: 'b', query: 'SELECT 1 AS n', severity: 'High', alert: { options: { column: 'n', op: 'not_equal', value: 'x' } } },
      { name: 'c', query: 'SELECT 1 AS n', alert: { options: { column: 'n', op: '==', value: '1.5' } } },
    ];
    const [a, b, c] = readPackText(JSON.stringify(entries), 'list.json') as [Detection, Detection, Detection];
    assert.deepEqual(a.alert, { column: 'n', op: '>=', value: 2 });
    assert.ok(a.sql.includes('SELECT 1 AS n\n)'), 'a trailing semicolon is dropped');
    assert.ok(a.sql.endsWith('`n` >= 2'));
    assert.equal(b.severity, 'high');
    assert.ok(b.sql.endsWith("`n` != 'x'"));
    assert.ok(c.sql.endsWith('`n` = 1.5'));
  });

  it('names the entry, field and line of a bad alert or severity', () => {
    const bad = text.replace('"op": ">"', '"op": "BIGGER"');
    assert.match(errorOf(bad, 'qa.json'), /^Detection pack qa\.json:15: detection 'changes_to_workspace_configuration', field 'alert\.options\.op': 'BIGGER' is not one of >, >=, <, <=, ==, !=, GREATER_THAN/);
    assert.match(errorOf(JSON.stringify([{ name: 'x', query: 'SELECT 1', severity: 'urgent' }]), 'l.json'), /detection 'x', field 'severity': must be one of high, medium, low, info/);
    assert.match(errorOf(JSON.stringify([{ name: 'x', query: 'SELECT 1', alert: { options: { op: '>', value: '1' } } }]), 'l.json'), /field 'alert\.options\.column': must name a column/);
  });
});

describe('the built-in detections', () => {
  it('are read from their YAML files, each with MITRE techniques and tests that fire and stay quiet', () => {
    assert.equal(detections.length, 33);
    for (const d of detections) {
      assert.equal(d.pack, BUILTIN_PACK, d.id);
      assert.ok(d.mitre.length > 0, d.id);
      assert.ok(d.tests.fires.length > 0 && d.tests.quiet.length > 0, d.id);
      assert.ok(!d.sql.includes('{{'), d.id);
    }
    const source = readFileSync(path.resolve(__dirname, '../../../detections/builtin/01-failed-logins.yaml'), 'utf8');
    assert.deepEqual(readPackText(source, 'failed-logins.yaml', BUILTIN_PACK), [detections.find((d) => d.id === 'failed-logins')]);
  });
});
