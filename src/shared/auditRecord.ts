/**
 * The audit record, declared once: each field a delivered line carries and each column
 * `audit_logs` adds, in the table's order, with its kind, its nested fields and where the table
 * takes its value from. The table's DDL and inserts, completion, validation's field checks, the
 * dialect's map columns and the tests' record types derive from it.
 */

/** `map` is a JSON object of string values (`requestParams`); `struct` has the nested fields listed. */
export type FieldKind = 'string' | 'integer' | 'map' | 'struct';

/**
 * Where `audit_logs` takes a column's value from: the line's own key, the delivery path
 * (`workspaceId=` and `date=` folders, the file's URI), or the line's place in its file.
 */
export type FieldSource = 'line' | 'workspaceFolder' | 'dateFolder' | 'fileUri' | 'lineNumber' | 'byteOffset';

export interface NestedField {
  readonly name: string;
  readonly kind: 'string' | 'integer';
  readonly nullable?: boolean;
}

export interface AuditField {
  readonly name: string;
  readonly kind: FieldKind;
  readonly source: FieldSource;
  /** Whether a delivered line carries the key: workspaceId does, though the table takes its folder's. */
  readonly delivered: boolean;
  /** The line may hold JSON null. */
  readonly nullable?: boolean;
  readonly fields?: readonly NestedField[];
  /** The column's name in Databricks' `system.access.audit` (and the `system_access_audit` view). */
  readonly systemName?: string;
  /** Kept for opening the raw line only: neither completion nor the system view offers it. */
  readonly internal?: boolean;
}

const DECLARED = [
  { name: 'version', kind: 'string', source: 'line', delivered: true, systemName: 'version' },
  { name: 'timestamp', kind: 'integer', source: 'line', delivered: true, systemName: 'event_time' },
  { name: 'workspaceId', kind: 'string', source: 'workspaceFolder', delivered: true, systemName: 'workspace_id' },
  { name: 'date', kind: 'string', source: 'dateFolder', delivered: false, systemName: 'event_date' },
  { name: 'sourceIPAddress', kind: 'string', source: 'line', delivered: true, nullable: true, systemName: 'source_ip_address' },
  { name: 'userAgent', kind: 'string', source: 'line', delivered: true, nullable: true, systemName: 'user_agent' },
  { name: 'sessionId', kind: 'string', source: 'line', delivered: true, nullable: true, systemName: 'session_id' },
  {
    name: 'userIdentity',
    kind: 'struct',
    source: 'line',
    delivered: true,
    fields: [{ name: 'email', kind: 'string', nullable: true }],
    systemName: 'user_identity',
  },
  { name: 'serviceName', kind: 'string', source: 'line', delivered: true, systemName: 'service_name' },
  { name: 'actionName', kind: 'string', source: 'line', delivered: true, systemName: 'action_name' },
  { name: 'requestId', kind: 'string', source: 'line', delivered: true, systemName: 'request_id' },
  { name: 'requestParams', kind: 'map', source: 'line', delivered: true, systemName: 'request_params' },
  {
    name: 'response',
    kind: 'struct',
    source: 'line',
    delivered: true,
    fields: [
      { name: 'statusCode', kind: 'integer', nullable: true },
      { name: 'errorMessage', kind: 'string', nullable: true },
      { name: 'result', kind: 'string', nullable: true },
    ],
    systemName: 'response',
  },
  { name: 'auditLevel', kind: 'string', source: 'line', delivered: true, systemName: 'audit_level' },
  { name: 'accountId', kind: 'string', source: 'line', delivered: true, systemName: 'account_id' },
  { name: '_file', kind: 'string', source: 'fileUri', delivered: false, systemName: '_file' },
  { name: '_line', kind: 'integer', source: 'lineNumber', delivered: false, systemName: '_line' },
  { name: '_offset', kind: 'integer', source: 'byteOffset', delivered: false, internal: true },
] as const satisfies readonly AuditField[];

type Fields = (typeof DECLARED)[number];

export type AuditColumn = Fields['name'];

/** The record's fields, then the columns the table adds, in the table's order. */
export const AUDIT_FIELDS: readonly (AuditField & { readonly name: AuditColumn })[] = DECLARED;

/** Maps and structs: held as JSON text in `audit_logs`. */
export function holdsJson(field: AuditField): boolean {
  return field.kind === 'map' || field.kind === 'struct';
}

/** Every column of `audit_logs`, in its order. */
export const AUDIT_COLUMNS: readonly AuditColumn[] = AUDIT_FIELDS.map((field) => field.name);

/** The columns whose value the line itself gives (the others come from the path and the line's place). */
export const LINE_COLUMNS: readonly AuditColumn[] = AUDIT_FIELDS.filter((field) => field.source === 'line').map((field) => field.name);

/** The top-level keys a delivered record carries. */
export const DELIVERED_FIELDS: readonly AuditColumn[] = AUDIT_FIELDS.filter((field) => field.delivered).map((field) => field.name);

/** Whether a column tells where a row came from (its file and place) rather than what happened. */
export function isProvenance(field: AuditField): boolean {
  return field.source === 'fileUri' || field.source === 'lineNumber' || field.source === 'byteOffset';
}

/** The columns that describe the event: `SELECT *` less the provenance columns. */
export const EVENT_COLUMNS: readonly AuditColumn[] = AUDIT_FIELDS.filter((field) => !isProvenance(field)).map((field) => field.name);

/** Columns held as JSON text in `audit_logs` (maps and structs). */
export const OBJECT_COLUMNS: readonly AuditColumn[] = AUDIT_FIELDS.filter(holdsJson).map((field) => field.name);

/** A struct's nested field names, by the struct's column. */
export const NESTED_FIELDS: ReadonlyMap<string, readonly string[]> = new Map(
  AUDIT_FIELDS.flatMap((field) => (field.fields ? [[field.name, field.fields.map((nested) => nested.name)] as const] : [])),
);

/** Lower-cased names, the table's and the system view's, of the fields that match. */
function lowerCasedNames(match: (field: AuditField) => boolean): ReadonlySet<string> {
  return new Set(AUDIT_FIELDS.filter(match).flatMap((field) => [field.name, field.systemName ?? field.name].map((name) => name.toLowerCase())));
}

/** Columns, by lower-cased name in the table or the system view, that hold a map of strings. */
export const MAP_COLUMN_NAMES = lowerCasedNames((field) => field.kind === 'map');

/** Columns, by lower-cased name in the table or the system view, that hold JSON (maps and structs). */
export const JSON_COLUMN_NAMES = lowerCasedNames(holdsJson);

type NestedValue<F extends NestedField> = (F['kind'] extends 'integer' ? number : string) | (F extends { nullable: true } ? null : never);

type FieldValue<F> = F extends { kind: 'struct'; fields: readonly NestedField[] }
  ? { [N in F['fields'][number] as N['name']]: NestedValue<N> }
  : F extends { kind: 'map' }
    ? Record<string, string>
    : (F extends { kind: 'integer' } ? number : string) | (F extends { nullable: true } ? null : never);

/** A delivered record with every field present, typed from the model. */
export type DeliveredRecord = { [F in Extract<Fields, { delivered: true }> as F['name']]: FieldValue<F> };
