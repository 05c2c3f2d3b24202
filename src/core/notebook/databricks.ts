/**
 * Exports a notebook as a Databricks SQL notebook source file, so the same questions run on a
 * cluster when the data outgrows one machine. The first cell creates the `audit_logs` view over
 * the bucket; cells that rely on SQLite-only syntax or our provenance columns are flagged.
 */
import type { NotebookDocument, NotebookScope } from '../../shared/notebook/format';
import { isKeywordToken, isNameToken, significant, tokenize } from '../../shared/sql/lexer';
import { sparkStringLiteral } from '../../shared/sql/literal';

export const DATABRICKS_HEADER = '-- Databricks notebook source';
export const DATABRICKS_SEPARATOR = '-- COMMAND ----------';

/** Functions SQLite has and Spark SQL does not (lower case). */
const SQLITE_ONLY_FUNCTIONS: ReadonlySet<string> = new Set([
  'json_extract',
  'json_each',
  'json_tree',
  'json_group_array',
  'json_group_object',
  'json_type',
  'json_insert',
  'json_patch',
  'json_remove',
  'json_set',
  'jsonb',
  'jsonb_extract',
  'strftime',
  'julianday',
  'unixepoch',
  'datetime',
  'group_concat',
  'iif',
  'total',
  'randomblob',
  'zeroblob',
  'sqlite_version',
  'last_insert_rowid',
]);

const PROVENANCE_COLUMNS: ReadonlySet<string> = new Set(['_file', '_line']);

/** Why a cell's SQL will not run unchanged on Databricks; empty when nothing was found. */
export function sqliteOnlySyntax(sql: string): string[] {
  const reasons = new Set<string>();
  const tokens = significant(tokenize(sql, { lenient: true, backslashEscapes: true }));
  tokens.forEach((token, i) => {
    const lower = token.text.toLowerCase();
    if (token.kind === 'word' && !isKeywordToken(token) && tokens[i + 1]?.text === '(' && SQLITE_ONLY_FUNCTIONS.has(lower)) {
      reasons.add(`${lower}()`);
    } else if (token.kind === 'operator' && (token.text === '->' || token.text === '->>')) {
      reasons.add(`the ${token.text} operator`);
    } else if (token.kind === 'word' && lower === 'glob') {
      reasons.add('GLOB');
    } else if (isNameToken(token) && PROVENANCE_COLUMNS.has(token.text.replace(/^[`"[]|[`"\]]$/g, ''))) {
      reasons.add(`the local provenance column ${token.text}`);
    }
  });
  return [...reasons];
}

function markdownLines(lines: string[]): string {
  return ['%md', ...lines].map((l) => (l === '' ? '-- MAGIC' : `-- MAGIC ${l}`)).join('\n');
}

/** One line per text: a title or description may not break out of its `-- MAGIC` comment. */
function oneLine(text: string): string {
  return text.replace(/[\r\n\u2028\u2029]+/g, ' ').trim();
}

function viewCell(scope: NotebookScope): string {
  const buckets = scope.sources.filter((s) => /^gs:\/\//i.test(s));
  const lines: string[] = [];
  const paths = buckets.length > 0 ? buckets : ['gs://<bucket-name>/<delivery-path-prefix>'];
  if (buckets.length === 0) {
    lines.push('-- This notebook was written over local folders: replace the path with the bucket the logs are delivered to.');
  }
  const filters: string[] = [];
  if (scope.workspaces?.length) filters.push(`workspaceId IN (${scope.workspaces.join(', ')})`);
  if (scope.from) filters.push(`date >= ${sparkStringLiteral(scope.from)}`);
  if (scope.to) filters.push(`date <= ${sparkStringLiteral(scope.to)}`);
  const target = filters.length > 0 ? 'audit_logs_all' : 'audit_logs';
  if (paths.length === 1) {
    lines.push(`CREATE OR REPLACE TEMPORARY VIEW ${target} USING json OPTIONS (path ${sparkStringLiteral(paths[0])})`);
  } else {
    lines.push(`CREATE OR REPLACE TEMPORARY VIEW ${target} AS`);
    lines.push(paths.map((p) => `SELECT * FROM json.\`${p.replace(/`/g, '')}\``).join('\nUNION ALL\n'));
  }
  if (filters.length > 0) {
    lines.push('', DATABRICKS_SEPARATOR, '');
    lines.push(`CREATE OR REPLACE TEMPORARY VIEW audit_logs AS SELECT * FROM audit_logs_all WHERE ${filters.join(' AND ')}`);
  }
  return lines.join('\n');
}

export function toDatabricksNotebook(doc: NotebookDocument): string {
  const parts: string[] = [];
  parts.push(`${DATABRICKS_HEADER}\n${markdownLines([`# ${oneLine(doc.title) || 'Audit Lens notebook'}`, '', 'Exported from Audit Lens. The next cell creates the `audit_logs` view over the delivered JSON files.'])}`);
  parts.push(viewCell(doc.scope));
  for (const cell of doc.cells) {
    const title = oneLine(cell.title);
    if (title) parts.push(markdownLines([`### ${title}`]));
    const reasons = sqliteOnlySyntax(cell.sql);
    const flag = reasons.length > 0 ? `-- Audit Lens: uses SQLite-only syntax (${reasons.join(', ')}); rewrite it before running on Databricks.\n` : '';
    parts.push(flag + cell.sql.trim());
  }
  return parts.join(`\n\n${DATABRICKS_SEPARATOR}\n\n`) + '\n';
}
