/**
 * Turns a cell's Spark SQL into one warehouse statement: `audit_logs` becomes a CTE over the
 * delivered files (`read_files`) or the user's own table, narrowed to the scope by named
 * parameters; `system_access_audit` becomes `system.access.audit`. The cell runs as written, but
 * for an as-of instant: then every "now" call becomes that instant as a literal, so the warehouse
 * answers at the same instant as the local engine.
 */
import { AuditLensError } from '../errors';
import { isPunct, isSignificantToken, isWord, lexSpark, type LexedSql, type Token } from '../../shared/sql/lexer';
import { formatGcsUri, parseGcsUri } from '../sources/gcs/uri';
import type { StatementParameter } from './api';
import { sparkStringLiteral } from '../../shared/sql/literal';

/** What `audit_logs` means on the warehouse. */
export interface WarehouseScope {
  sources: readonly string[];
  workspaces?: readonly string[];
  from?: string;
  to?: string;
  /** A table (`catalog.schema.table`) that already holds the audit logs, instead of the files. */
  auditTable?: string;
}

export interface WarehouseStatement {
  statement: string;
  parameters: StatementParameter[];
}

const SYSTEM_TABLE = 'system.access.audit';
const TABLE_NAME = /^(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)(\.(`[^`]+`|[A-Za-z_][A-Za-z0-9_]*)){0,2}$/;

function isTableName(tokens: readonly Token[], index: number, name: string): boolean {
  const token = tokens[index]!;
  if (!isWord(token, name)) return false;
  const before = tokens.slice(0, index).filter(isSignificantToken).at(-1);
  const after = tokens.slice(index + 1).find(isSignificantToken);
  return before?.text !== '.' && after?.text !== '.' && after?.text !== '(';
}

function fileSource(uri: string): string {
  if (!/^gs:\/\//i.test(uri)) {
    throw new AuditLensError('usage', `The warehouse reads the bucket itself, so '${uri}' cannot be a source there: use the gs:// URI the logs are delivered to, or set auditLens.databricks.auditTable.`);
  }
  const location = formatGcsUri(parseGcsUri(uri));
  return `SELECT *, _metadata.file_path AS _file, CAST(NULL AS BIGINT) AS _line, CAST(NULL AS BIGINT) AS _offset\n  FROM read_files(${sparkStringLiteral(`${location}/`)}, format => 'json')`;
}

/** The body of the `audit_logs` CTE and the parameters it uses. */
export function auditLogsQuery(scope: WarehouseScope): WarehouseStatement {
  const parameters: StatementParameter[] = [];
  const filters: string[] = [];
  if (scope.from) {
    parameters.push({ name: 'scope_from', value: scope.from, type: 'DATE' });
    filters.push('date >= :scope_from');
  }
  if (scope.to) {
    parameters.push({ name: 'scope_to', value: scope.to, type: 'DATE' });
    filters.push('date <= :scope_to');
  }
  if (scope.workspaces?.length) {
    const names = scope.workspaces.map((id, i) => {
      parameters.push({ name: `scope_workspace_${i}`, value: id, type: 'STRING' });
      return `:scope_workspace_${i}`;
    });
    filters.push(`CAST(workspaceId AS STRING) IN (${names.join(', ')})`);
  }
  let sources: string[];
  if (scope.auditTable) {
    const table = scope.auditTable.trim();
    if (!TABLE_NAME.test(table)) throw new AuditLensError('usage', `'${scope.auditTable}' is not a table name (catalog.schema.table) for auditLens.databricks.auditTable.`);
    sources = [`SELECT * FROM ${table}`];
  } else {
    if (scope.sources.length === 0) throw new AuditLensError('usage', 'No sources in the scope: add the gs:// bucket the audit logs are delivered to.');
    sources = scope.sources.map(fileSource);
  }
  const where = filters.length > 0 ? `\nWHERE ${filters.join(' AND ')}` : '';
  const body = sources.length === 1 ? `${sources[0]}${where}` : `SELECT * FROM (\n${sources.join('\nUNION ALL\n')}\n)${where}`;
  return { statement: body, parameters };
}

type NowValue = 'timestamp' | 'date' | 'seconds';

/** Spark's "now" functions (called without arguments) and what each gives. */
const NOW_CALLS: ReadonlyMap<string, NowValue> = new Map([
  ['current_timestamp', 'timestamp'], ['now', 'timestamp'], ['localtimestamp', 'timestamp'],
  ['current_date', 'date'], ['curdate', 'date'], ['unix_timestamp', 'seconds'],
]);
/** Those Spark also reads without parentheses. */
const BARE_NOW: ReadonlySet<string> = new Set(['current_timestamp', 'current_date', 'localtimestamp']);

function nowLiteral(value: NowValue, asOf: number): string {
  const iso = new Date(asOf).toISOString();
  if (value === 'timestamp') return `TIMESTAMP'${iso}'`;
  if (value === 'date') return `DATE'${iso.slice(0, 10)}'`;
  return String(Math.floor(asOf / 1000));
}

/** Token index → its replacement ('' drops it): each "now" call, and its empty parentheses, as the as-of literal. */
function pinnedNow(tokens: readonly Token[], asOf: number): Map<number, string> {
  const replace = new Map<number, string>();
  // Indexes of the code tokens, so each call's neighbours are one step away (comments and spaces skipped).
  const code = tokens.flatMap((token, i) => (isSignificantToken(token) ? [i] : []));
  const codeText = (k: number): string | undefined => (k >= 0 && k < code.length ? tokens[code[k]!]!.text : undefined);
  code.forEach((i, k) => {
    const token = tokens[i]!;
    const value = token.kind === 'word' ? NOW_CALLS.get(token.text.toLowerCase()) : undefined;
    if (value === undefined) return;
    const before = codeText(k - 1);
    if (before === '.' || before?.toLowerCase() === 'as') return;
    if (codeText(k + 1) === '(') {
      if (codeText(k + 2) !== ')') return;
      replace.set(i, nowLiteral(value, asOf));
      for (let j = i + 1; j <= code[k + 2]!; j++) replace.set(j, '');
    } else if (BARE_NOW.has(token.text.toLowerCase()) && codeText(k + 1) !== '.') {
      replace.set(i, nowLiteral(value, asOf));
    }
  });
  return replace;
}

/** The statement the warehouse runs for one cell; with `asOf` (epoch ms) every "now" reads that instant. */
export function warehouseStatement(cellSql: string | LexedSql, scope: WarehouseScope, asOf?: number): WarehouseStatement {
  // Lenient: a malformed cell still goes to the warehouse, whose own message says what is wrong.
  const { tokens } = typeof cellSql === 'string' ? lexSpark(cellSql) : cellSql;
  const code = tokens.filter(isSignificantToken);
  const semicolons = code.map((t, i) => (isPunct(t, ';') ? i : -1)).filter((i) => i >= 0);
  if (semicolons.some((i) => code.slice(i + 1).length > 0 && code.slice(i + 1).some((t) => !isPunct(t, ';')))) {
    throw new AuditLensError('usage', 'The warehouse runs one statement at a time: split this cell into one cell per statement.');
  }
  let usesAuditLogs = false;
  const pinned = asOf === undefined ? new Map<number, string>() : pinnedNow(tokens, asOf);
  const rewritten = tokens.map((token, i) => {
    const literal = pinned.get(i);
    if (literal !== undefined) return literal;
    if (isTableName(tokens, i, 'system_access_audit')) return SYSTEM_TABLE;
    if (isTableName(tokens, i, 'audit_logs')) usesAuditLogs = true;
    return token.text;
  });
  const sql = rewritten.join('').trim().replace(/;+\s*$/, '').trim();
  if (sql === '') throw new AuditLensError('usage', 'The SQL is empty.');
  if (!usesAuditLogs) return { statement: sql, parameters: [] };
  const table = auditLogsQuery(scope);
  const cte = `audit_logs AS (\n${table.statement}\n)`;
  const firstCode = code[0];
  if (firstCode !== undefined && isWord(firstCode, 'with')) {
    // Join the cell's own WITH: `WITH audit_logs AS (…), its_cte AS (…) SELECT …`.
    const leading = rewritten.slice(0, tokens.indexOf(firstCode)).join('');
    const rest = rewritten.slice(tokens.indexOf(firstCode) + 1).join('').trim().replace(/;+\s*$/, '').trim();
    return { statement: `${leading}WITH ${cte},\n${rest}`.trim(), parameters: table.parameters };
  }
  return { statement: `WITH ${cte}\n${sql}`, parameters: table.parameters };
}
