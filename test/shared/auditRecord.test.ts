/**
 * The audit record is declared once: the table, the system view, completion, validation, the
 * shipped JSON Schema, the dialect's map columns and the tests' record builders all follow it.
 */
import { HOT_COLUMNS } from '../../src/core/sql/dialect/hot-columns';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  AUDIT_COLUMNS,
  AUDIT_FIELDS,
  DELIVERED_FIELDS,
  EVENT_COLUMNS,
  JSON_COLUMN_NAMES,
  LINE_COLUMNS,
  MAP_COLUMN_NAMES,
  NESTED_FIELDS,
  type AuditField,
  type DeliveredRecord,
} from '../../src/shared/auditRecord';
import { AuditDatabase } from '../../src/core/sql/database';
import { RECORD_COLUMNS } from '../../src/core/sql/schema';
import { JSON_COLUMNS } from '../../src/core/sql/dialect';
import { completionCatalog } from '../../src/extension/notebook/completionCatalog';
import { validateLine } from '../../src/core/validate';
import { AUDIT_RECORD_SCHEMA } from '../../src/core/schema';
import { aRecord } from '../support/records';
import { generateRecords, type AuditRecord as GeneratedAuditRecord } from '../support/generate';

/** Compile-time: the two types have exactly the same keys. */
type SameKeys<A, B> = [Exclude<keyof A, keyof B>, Exclude<keyof B, keyof A>] extends [never, never] ? true : false;
const generatedKeys: SameKeys<Omit<GeneratedAuditRecord, 'orgId' | 'shardName'>, DeliveredRecord> = true;

async function tableColumns(table: string): Promise<{ name: string; type: string }[]> {
  const database = await AuditDatabase.open();
  try {
    const [result] = database.handle.exec(`SELECT name, type FROM pragma_table_info('${table}')`);
    return (result?.values ?? []).map(([name, type]) => ({ name: String(name), type: String(type) }));
  } finally {
    database.close();
  }
}

test('audit_logs has the model\'s columns, in its order, integers as INTEGER and the rest as TEXT, then the hot columns', async () => {
  const expected = AUDIT_FIELDS.map((field) => ({ name: field.name, type: field.kind === 'integer' ? 'INTEGER' : 'TEXT' }));
  // Hot columns keep whatever type the JSON value has, as the JSON read gives it.
  assert.deepEqual(await tableColumns('audit_logs'), [...expected, ...HOT_COLUMNS.map((hot) => ({ name: hot.name, type: '' }))]);
  assert.deepEqual([...AUDIT_COLUMNS], expected.map((column) => column.name));
});

test('the system view names every column the model gives a system name, and no internal one', async () => {
  const view = (await tableColumns('system_access_audit')).map((column) => column.name);
  for (const field of AUDIT_FIELDS as readonly AuditField[]) {
    if (field.internal) assert.ok(!view.includes(field.name), `${field.name} is internal`);
    else assert.ok(field.systemName && view.includes(field.systemName), `${field.name} → ${field.systemName}`);
  }
});

test('the insert reads from the line exactly the model\'s line fields', () => {
  assert.deepEqual([...RECORD_COLUMNS], AUDIT_FIELDS.filter((field) => field.source === 'line').map((field) => field.name));
  assert.deepEqual([...LINE_COLUMNS], ['version', 'timestamp', 'sourceIPAddress', 'userAgent', 'sessionId', 'userIdentity', 'serviceName', 'actionName', 'requestId', 'requestParams', 'response', 'auditLevel', 'accountId']);
});

test('completion offers every column but the internal ones, with the structs\' nested fields', () => {
  const offered = completionCatalog().columns;
  const expected = AUDIT_FIELDS.filter((field) => !(field as AuditField).internal).map((field) => {
    const nested = NESTED_FIELDS.get(field.name);
    return nested ? { name: field.name, fields: [...nested] } : { name: field.name };
  });
  assert.deepEqual(offered, expected);
  assert.ok(!offered.some((column) => column.name === '_offset'));
  assert.deepEqual(offered.find((column) => column.name === 'response')?.fields, ['statusCode', 'errorMessage', 'result']);
});

test('validation knows every delivered field and nested field: a key in other letter case is flagged', () => {
  const paths = [...DELIVERED_FIELDS.map((name) => [name]), ...[...NESTED_FIELDS].flatMap(([name, nested]) => nested.map((field) => [name, field]))];
  for (const path of paths) {
    const record: Record<string, unknown> = aRecord();
    const wrong = path[path.length - 1]!.toUpperCase();
    if (path.length === 1) {
      record[wrong] = record[path[0]!];
    } else {
      record[path[0]!] = { ...(record[path[0]!] as object), [wrong]: null };
    }
    const { findings } = validateLine(JSON.stringify(record), { file: 'f.json', line: 1 });
    const casing = findings.filter((finding) => finding.code === 'key-casing');
    assert.equal(casing.length, 1, `${path.join('.')}: ${JSON.stringify(findings)}`);
    assert.match(casing[0]!.message, new RegExp(`the field ${path.join('\\.')} only`));
  }
  assert.ok(!DELIVERED_FIELDS.includes('date'), 'date comes from the path only');
});

test('the shipped JSON Schema describes exactly the delivered fields, with the model\'s kinds and nested fields', () => {
  interface Node {
    type?: string | string[];
    properties?: Record<string, Node>;
    additionalProperties?: unknown;
  }
  const properties = (AUDIT_RECORD_SCHEMA as Node).properties ?? {};
  assert.deepEqual(Object.keys(properties).sort(), [...DELIVERED_FIELDS].sort());
  for (const field of AUDIT_FIELDS as readonly AuditField[]) {
    const node = properties[field.name];
    if (!node) continue;
    const types = node.type === undefined ? [] : [node.type].flat();
    if (field.kind === 'integer') assert.ok(types.includes('integer'), field.name);
    if (field.kind === 'map') assert.equal(typeof node.additionalProperties, 'object', field.name);
    if (field.kind === 'struct') assert.deepEqual(Object.keys(node.properties ?? {}).sort(), field.fields!.map((nested) => nested.name).sort(), field.name);
    if (field.kind === 'string' && types.length > 0) assert.ok(types.includes('string'), field.name);
    if (field.nullable) assert.ok(types.includes('null'), `${field.name} may be null`);
  }
});

test('the dialect reads the model\'s map and JSON columns, by table and system name', () => {
  assert.deepEqual([...MAP_COLUMN_NAMES].sort(), ['request_params', 'requestparams']);
  for (const name of JSON_COLUMN_NAMES) assert.ok(JSON_COLUMNS.has(name), name);
  assert.deepEqual([...JSON_COLUMN_NAMES].sort(), ['request_params', 'requestparams', 'response', 'user_identity', 'useridentity']);
});

test('the test builders write every delivered field and nothing the model lacks but the extra keys', () => {
  assert.ok(generatedKeys);
  const extras = ['orgId', 'shardName'];
  const built = Object.keys(aRecord()).filter((key) => !extras.includes(key));
  assert.deepEqual(built.sort(), [...DELIVERED_FIELDS].sort());
  const [first] = generateRecords({ seed: 'model', workspaces: 1, days: 1, recordsPerDay: 5 });
  const generated = Object.keys(first!.record).filter((key) => !extras.includes(key));
  for (const key of generated) assert.ok((DELIVERED_FIELDS as readonly string[]).includes(key), key);
  // The generator leaves workspaceId out of some records, as deliveries do.
  for (const name of DELIVERED_FIELDS.filter((name) => name !== 'workspaceId')) assert.ok(generated.includes(name), name);
  assert.deepEqual([...EVENT_COLUMNS], AUDIT_COLUMNS.filter((name) => !['_file', '_line', '_offset'].includes(name)));
});
