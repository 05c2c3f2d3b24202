/**
 * The test server's warehouse: answers the statements the project sends by running the cell in
 * the project's own sql.js engine over a local copy of each `gs://` delivery path, narrowed by the
 * named parameters — so a test can check the warehouse's rows against the local engine's.
 */
import { AuditLensError } from '../../src/core/errors';
import type { PartitionFilter } from '../../src/core/layout';
import { tokenize } from '../../src/shared/sql/lexer';
import type { ColumnInfo, StatementParameter } from '../../src/core/databricks/api';
import { AuditDatabase } from '../../src/core/sql/database';
import { loadIntoDatabase } from '../../src/core/sql/loader';
import type { CellValue, ColumnKind } from '../../src/core/sql/values';
import type { Answer, Executor } from './server';

/** Splits `WITH audit_logs AS (…)[,] rest` into the CTE body and the cell's own SQL. */
export function splitAuditLogsCte(statement: string): { cte: string; cell: string } | undefined {
  const match = /^\s*WITH audit_logs AS \(/.exec(statement);
  if (!match) return undefined;
  const start = match[0].length;
  let depth = 1;
  for (const token of tokenize(statement.slice(start), { lenient: true, backslashEscapes: true })) {
    if (token.text === '(') depth++;
    if (token.text === ')' && --depth === 0) {
      const cte = statement.slice(start, start + token.start);
      const rest = statement.slice(start + token.end).trim();
      return { cte, cell: rest.startsWith(',') ? `WITH ${rest.slice(1).trim()}` : rest };
    }
  }
  return undefined;
}

function typeOf(values: readonly CellValue[], kind: ColumnKind): string {
  if (kind === 'json') return 'STRUCT';
  const present = values.filter((v) => v !== null);
  if (present.length > 0 && present.every((v) => typeof v === 'number' && Number.isInteger(v))) return 'LONG';
  if (present.length > 0 && present.every((v) => typeof v === 'number')) return 'DOUBLE';
  return 'STRING';
}

function filterFrom(parameters: readonly StatementParameter[]): PartitionFilter {
  const value = (name: string): string | undefined => parameters.find((p) => p.name === name)?.value ?? undefined;
  const workspaces = parameters.filter((p) => p.name.startsWith('scope_workspace_')).map((p) => p.value ?? '');
  for (const p of parameters) {
    if (p.name.startsWith('scope_') && p.name !== 'scope_from' && p.name !== 'scope_to' && !p.name.startsWith('scope_workspace_')) throw new Error(`unexpected parameter ${p.name}`);
    if ((p.name === 'scope_from' || p.name === 'scope_to') && p.type !== 'DATE') throw new Error(`${p.name} must be typed DATE`);
  }
  return { from: value('scope_from'), to: value('scope_to'), ...(workspaces.length > 0 ? { workspaces } : {}) };
}

/** An executor over local folders standing for `gs://` delivery paths (`{ 'gs://b/p': '/tmp/…/p' }`). */
export function localWarehouse(buckets: Readonly<Record<string, string>>): Executor & { statements: string[] } {
  const statements: string[] = [];
  const executor = async (statement: string, parameters: readonly StatementParameter[]): Promise<Answer> => {
    statements.push(statement);
    const split = splitAuditLogsCte(statement);
    if (/\bsystem\.access\.audit\b/.test(statement)) {
      return { failed: { error_code: 'BAD_REQUEST', message: '[TABLE_OR_VIEW_NOT_FOUND] The table or view `system`.`access`.`audit` cannot be found.', sql_state: '42P01' } };
    }
    if (!split) return { failed: { error_code: 'BAD_REQUEST', message: '[TABLE_OR_VIEW_NOT_FOUND] The test warehouse only knows audit_logs.', sql_state: '42P01' } };
    const uris = [...split.cte.matchAll(/read_files\('([^']+)\/', format => 'json'\)/g)].map((m) => m[1]!);
    const folders = uris.map((uri) => {
      const folder = buckets[uri];
      if (!folder) throw new Error(`the test warehouse has no copy of ${uri}`);
      return folder;
    });
    const database = await AuditDatabase.open();
    try {
      await loadIntoDatabase(database, { sources: folders, filter: filterFrom(parameters) }, { maxRows: 1_000_000 });
      const result = database.query(split.cell, 1_000_000);
      const columns: ColumnInfo[] = result.columns.map((name, i) => ({ name, position: i, type_name: typeOf(result.rows.map((r) => r[i] ?? null), result.columnKinds[i]!) }));
      const rows = result.rows.map((row) => row.map((v) => (v === null ? null : typeof v === 'string' ? v : v instanceof Uint8Array ? Buffer.from(v).toString('base64') : String(v))));
      return { columns, rows };
    } catch (error) {
      const e = AuditLensError.from(error);
      if (e.code !== 'sql') throw error;
      return { failed: { error_code: 'BAD_REQUEST', message: `[PARSE_SYNTAX_ERROR] ${e.userMessage}`, sql_state: '42601' } };
    } finally {
      database.close();
    }
  };
  return Object.assign(executor, { statements });
}
