/**
 * A plain-JavaScript oracle for Databricks' three example queries, computed the way Spark answers
 * them over `spark.read.format("json").load(root)`: one JSON object per line (the last of duplicate
 * keys wins, as in Jackson and JSON.parse), `workspaceId` and `date` from the folder names,
 * missing fields and lines that are not objects as NULL, `=` and `LIKE` case-sensitive, DISTINCT
 * and GROUP BY with one NULL group, and `requestParams` values read as strings (Databricks declares
 * the column `map<string,string>`; Spark's inference gives the same wherever a key holds strings).
 * It shares no code with the product but the record's declared columns.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { EVENT_COLUMNS } from '../../src/shared/auditRecord';
import * as path from 'node:path';

export type Row = Record<string, unknown> & { workspaceId: string; date: string };

const DELIVERED = /^workspaceId=(\d+)\/date=(\d{4}-\d{2}-\d{2})\/auditlogs_[^/]*\.json$/;

function* walk(root: string, relative = ''): Generator<string> {
  for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) yield* walk(root, child);
    else if (entry.isFile()) yield child;
  }
}

/** Every record of a delivery tree, with its partition columns. */
export function readTree(root: string): Row[] {
  const rows: Row[] = [];
  for (const relative of walk(root)) {
    const match = DELIVERED.exec(relative);
    if (!match) continue;
    for (const line of readFileSync(path.join(root, relative), 'utf8').split(/\r\n|\r|\n/)) {
      if (line.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(line);
      } catch {
        continue; // Spark keeps a corrupt line as a row of NULLs: it matches none of the queries.
      }
      if (typeof value !== 'object' || value === null || Array.isArray(value)) continue;
      rows.push({ ...(value as Record<string, unknown>), workspaceId: match[1]!, date: match[2]! });
    }
  }
  return rows;
}

/** A JSON value read into a string column: strings as they are, anything else as its JSON text. */
export function sparkString(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>)[key] : undefined;
}

/** SELECT DISTINCT userIdentity.email, sourceIPAddress … serviceName = "accounts" AND actionName LIKE "%login%" */
export function logins(rows: readonly Row[]): unknown[][] {
  const seen = new Map<string, unknown[]>();
  for (const r of rows) {
    if (sparkString(r.serviceName) !== 'accounts' || !(sparkString(r.actionName) ?? '').includes('login')) continue;
    const row = [sparkString(field(r.userIdentity, 'email')), sparkString(r.sourceIPAddress)];
    seen.set(JSON.stringify(row), row);
  }
  return [...seen.values()];
}

/** SELECT requestParams.spark_version, COUNT(*) … serviceName = "clusters" AND actionName = "create" GROUP BY 1 */
export function sparkVersions(rows: readonly Row[]): unknown[][] {
  const counts = new Map<string | null, number>();
  for (const r of rows) {
    if (sparkString(r.serviceName) !== 'clusters' || sparkString(r.actionName) !== 'create') continue;
    const version = sparkString(field(r.requestParams, 'spark_version'));
    counts.set(version, (counts.get(version) ?? 0) + 1);
  }
  return [...counts].map(([version, count]) => [version, count]);
}

/** The documented columns of `SELECT *`, in the table's order. */
export const RECORD_COLUMNS = EVENT_COLUMNS;

/** SELECT * … serviceName = "sqlPermissions" AND actionName = "requestPermissions", on the documented columns. */
export function tableAccess(rows: readonly Row[]): unknown[][] {
  return rows
    .filter((r) => sparkString(r.serviceName) === 'sqlPermissions' && sparkString(r.actionName) === 'requestPermissions')
    .map((r) => RECORD_COLUMNS.map((c) => r[c] ?? null));
}

/** Rows as a sorted list of their JSON texts: equal lists are equal multisets. */
export function multiset(rows: readonly unknown[][]): string[] {
  return rows.map((row) => JSON.stringify(row)).sort();
}
