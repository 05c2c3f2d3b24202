/** The tables, indexes and view of a query session, and the insert that fills `audit_logs`. */
import { AUDIT_COLUMNS, AUDIT_FIELDS, holdsJson, LINE_COLUMNS, type AuditField, type FieldSource } from '../../shared/auditRecord';
import { HOT_COLUMNS } from './dialect/hot-columns';
import { jsonRead } from './dialect/json-access';
import { sqliteString } from './dialect/lex';

/**
 * A TIMESTAMP as Spark prints it, from epoch milliseconds: `yyyy-MM-dd HH:mm:ss`, with the
 * fraction (trailing zeros dropped) when there is one. In SQL so the view stays fast.
 */
function sparkTimestampText(ms: string): string {
  return `rtrim(rtrim(strftime('%Y-%m-%d %H:%M:%f', ${ms} / 1000.0, 'unixepoch'), '0'), '.')`;
}

/** `audit_logs` keeps the delivered names so Databricks' queries run as written. */
export const AUDIT_LOGS_COLUMNS = AUDIT_COLUMNS;

/** Numbers are INTEGER; strings, and maps and structs (JSON text), are TEXT. */
function sqlType(field: AuditField): string {
  return field.kind === 'integer' ? 'INTEGER' : 'TEXT';
}

/** Each hot column's value, read from its JSON column as a query would read it. */
const HOT_VALUES = HOT_COLUMNS.map((hot) => jsonRead('value', hot.column, hot.path));

/** Sets the hot columns of the row `rowid` from its JSON columns. */
const REFRESH_HOT = `UPDATE audit_logs SET (${HOT_COLUMNS.map((hot) => hot.name).join(', ')}) = (${HOT_VALUES.join(', ')}) WHERE rowid = NEW.rowid;`;

/**
 * Keep the hot columns right when a statement inserts rows or changes a JSON column. A load
 * drops them while it inserts (it fills the hot columns itself) and makes them again after.
 */
const HOT_TRIGGERS = ['audit_logs_hot_insert', 'audit_logs_hot_update'] as const;

export const CREATE_TRIGGERS = `
CREATE TRIGGER IF NOT EXISTS ${HOT_TRIGGERS[0]} AFTER INSERT ON audit_logs BEGIN ${REFRESH_HOT} END;
CREATE TRIGGER IF NOT EXISTS ${HOT_TRIGGERS[1]} AFTER UPDATE OF ${[...new Set(HOT_COLUMNS.map((hot) => hot.column))].join(', ')} ON audit_logs BEGIN ${REFRESH_HOT} END;
`;

export const DROP_TRIGGERS = HOT_TRIGGERS.map((name) => `DROP TRIGGER IF EXISTS ${name};`).join('\n');

export const CREATE_TABLES = `
CREATE TABLE IF NOT EXISTS audit_logs (
${[...AUDIT_FIELDS.map((field) => `  ${field.name} ${sqlType(field)}`), ...HOT_COLUMNS.map((hot) => `  ${hot.name}`)].join(',\n')}
);${CREATE_TRIGGERS}
CREATE TABLE IF NOT EXISTS audit_errors (
  file TEXT,
  line INTEGER,
  offset INTEGER,
  reason TEXT,
  raw TEXT
);
CREATE VIEW IF NOT EXISTS system_access_audit AS
SELECT
  accountId AS account_id,
  workspaceId AS workspace_id,
  version,
  ${sparkTimestampText('spark_epoch_ms(timestamp)')} AS event_time,
  coalesce(strftime('%Y-%m-%d', spark_epoch_ms(timestamp) / 1000.0, 'unixepoch'), date) AS event_date,
  sourceIPAddress AS source_ip_address,
  userAgent AS user_agent,
  sessionId AS session_id,
  CASE WHEN userIdentity IS NULL THEN NULL ELSE json_object(
    'email', json_extract(userIdentity, '$.email'),
    'subject_name', coalesce(json_extract(userIdentity, '$.subjectName'), json_extract(userIdentity, '$.subject_name'))) END AS user_identity,
  serviceName AS service_name,
  actionName AS action_name,
  requestId AS request_id,
  requestParams AS request_params,
  CASE WHEN response IS NULL THEN NULL ELSE json_object(
    'status_code', json_extract(response, '$.statusCode'),
    'error_message', json_extract(response, '$.errorMessage'),
    'result', json_extract(response, '$.result')) END AS response,
  auditLevel AS audit_level,
  spark_event_id(_file, _offset, requestId) AS event_id,
  NULL AS identity_metadata,
  _file,
  _line
FROM audit_logs;
`;

/**
 * The table's indexes, by name and columns: service + action (the example analyses and any
 * cell), date + service (per-day counts, date ranges), and service + action + status code (a
 * detection run's: SQLite tests the status in the index before it fetches a row, so a failed-login
 * rule fetches the failures alone).
 */
const TABLE_INDEXES = {
  'service-action': { name: 'audit_logs_service_action', columns: 'serviceName, actionName' },
  'date-service': { name: 'audit_logs_date_service', columns: 'date, serviceName' },
  'service-action-status': { name: 'audit_logs_service_action_status', columns: 'serviceName, actionName, _hot_status_code' },
} as const;

export type TableIndex = keyof typeof TABLE_INDEXES;

const ALL_INDEXES = Object.values(TABLE_INDEXES);

/** The indexes of a session that takes any query (a notebook's). */
export const SESSION_INDEXES: readonly TableIndex[] = ['service-action', 'date-service'];

/** Makes these of the table's indexes (a session's by default). */
export function createIndexesSql(indexes: readonly TableIndex[] = SESSION_INDEXES): string {
  return indexes.map((index) => `CREATE INDEX IF NOT EXISTS ${TABLE_INDEXES[index].name} ON audit_logs (${TABLE_INDEXES[index].columns});`).join('\n');
}


export const DROP_INDEXES = ALL_INDEXES.map((index) => `DROP INDEX IF EXISTS ${index.name};`).join('\n');

/** What CREATE_TABLES and the indexes make: anything else in the schema is the user's. */
export const OWN_SCHEMA_OBJECTS = ['audit_logs', 'audit_errors', 'system_access_audit', ...ALL_INDEXES.map((index) => index.name), ...HOT_TRIGGERS];

/** Session settings; sql.js resets them whenever the database is exported or reopened. */
export const SESSION_PRAGMAS = 'PRAGMA case_sensitive_like = ON; PRAGMA journal_mode = MEMORY;';

/** Parameters bound per line: ?1 its bytes, ?2 the file's URI, ?3 workspace id, ?4 date, ?5 line number, ?6 byte offset. */
const PARAMETERS: Readonly<Record<Exclude<FieldSource, 'line'>, string>> = { fileUri: '?2', workspaceFolder: '?3', dateFolder: '?4', lineNumber: '?5', byteOffset: '?6' };

/** Where a file's lines come from, written into an insert for that file alone. */
export interface FilePlace {
  fileUri: string;
  workspaceId: string;
  date: string;
}

/** With the file's place written in, only ?1 the line, ?2 its number and ?3 its offset are bound (three strings fewer a row). */
function placedParameters(place: FilePlace): Readonly<Record<Exclude<FieldSource, 'line'>, string>> {
  return { fileUri: sqliteString(place.fileUri), workspaceFolder: sqliteString(place.workspaceId), dateFolder: sqliteString(place.date), lineNumber: '?2', byteOffset: '?3' };
}

/** The columns read from the record itself; the others come from where the file lies and the line's place in it. */
export const RECORD_COLUMNS = LINE_COLUMNS;

/**
 * Inserts one line when it is a strict (RFC 8259) JSON object, extracting inside SQLite so big
 * numbers stay exact; the line is parsed once, into JSONB, and every column read from that (the
 * subquery has no FROM so that SQLite cannot flatten it into one jsonb() call per column). The
 * strict check is the subquery's WHERE, not a CASE around jsonb(): SQLite then evaluates the
 * check once and builds the JSONB once (a CASE costs about 6 µs a row more).
 * ?1 is the line's UTF-8 bytes (or text: binding bytes skips sql.js's UTF-8 encoding in
 * JavaScript, about half the cost of a row). Record fields outside `columns` (when given) load as
 * NULL, and so do hot columns outside `hotColumns` (when given). With `place`, the file's URI,
 * workspace and date are written in (see placedParameters). Inserts nothing when the line is not a JSON object: the caller then records it in `audit_errors`.
 * With `jsonb`, ?1 is the line already checked and converted to JSONB (see JsonbConverter), and
 * the row is extracted from it exactly as from the JSONB made here.
 */
export function insertLineSql(columns?: readonly string[], from: 'text' | 'jsonb' = 'text', hotColumns?: readonly string[], place?: FilePlace): string {
  const kept = columns && new Set(columns);
  const keptHot = hotColumns && new Set(hotColumns);
  const parameters = place ? placedParameters(place) : PARAMETERS;
  const values = AUDIT_FIELDS.map((field) => {
    if (field.source !== 'line') return parameters[field.source];
    if (kept && !kept.has(field.name)) return 'NULL';
    // Objects stay JSON text; JSON null becomes NULL.
    return holdsJson(field) ? `nullif(b -> '$.${field.name}', 'null')` : `b ->> '$.${field.name}'`;
  });
  // A hot column reads the line's JSONB at its column's key (the column holds that value's JSON text).
  const hot = HOT_COLUMNS.map((h) => ((kept && !kept.has(h.column)) || (keptHot && !keptHot.has(h.name)) ? 'NULL' : jsonRead('value', 'b', [h.column, ...h.path])));
  const line = from === 'jsonb' ? '(SELECT ?1 AS b)' : '(SELECT jsonb(CAST(?1 AS TEXT)) AS b WHERE json_valid(CAST(?1 AS TEXT), 1))';
  return `INSERT INTO audit_logs SELECT ${[...values, ...hot].join(', ')}
FROM ${line}
WHERE json_type(b) = 'object'`;
}

/** Inserts one row of values extracted in JavaScript (lines SQLite's JSON parser refuses), its hot columns (those in `hotColumns`, when given) read from them. */
export function insertValuesSql(hotColumns?: readonly string[]): string {
  const hot = HOT_COLUMNS.map((h, i) => (hotColumns && !hotColumns.includes(h.name) ? 'NULL' : HOT_VALUES[i]!));
  return `INSERT INTO audit_logs SELECT *, ${hot.join(', ')} FROM (SELECT ${AUDIT_LOGS_COLUMNS.map((column) => `? AS ${column}`).join(', ')})`;
}

export const INSERT_ERROR = 'INSERT INTO audit_errors VALUES (?, ?, ?, ?, ?)';
