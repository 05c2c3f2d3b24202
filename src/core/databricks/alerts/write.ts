/**
 * Writes an alert export to a folder: `queries/<name>.json` and `alerts/<name>.json` per
 * detection, `index.json` listing them with how to deploy, and `deploy.sh`, which does it.
 */
import { chmodSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { AuditLensError } from '../../errors';
import type { AlertScope, ExportedDetection } from './export';
import { FINDINGS_COLUMN } from './export';
import { ALERTS_API, QUERIES_API, QUERY_ID_PLACEHOLDER } from './requests';

export interface AlertExportIndex {
  about: string;
  apis: { queries: typeof QUERIES_API; alerts: typeof ALERTS_API };
  auditLogs: { table: string } | { readFiles: readonly string[] };
  warehouseId: string | null;
  queryIdPlaceholder: string;
  findingsColumn: string;
  detections: { id: string; title: string; severity: string; pack: string; query: string; alert: string; condition: string }[];
  deploy: { script: string; note: string[] };
}

const SCRIPT = 'deploy.sh';

function curl(api: { path: string }): string {
  return `curl -sSf -X POST "$DATABRICKS_HOST${api.path}" -H "Authorization: Bearer $DATABRICKS_TOKEN" -H 'Content-Type: application/json' -d @-`;
}

/** The deploy script: each query created, then its alert with the query's id for the placeholder. */
export function deployScript(warehouseId: string | undefined): string {
  const query = warehouseId
    ? `  query_id=$(${curl(QUERIES_API)} < "$query" | jq -er .id)`
    : `  query_id=$(jq --arg w "$DATABRICKS_WAREHOUSE_ID" '.query.warehouse_id = $w' "$query" | ${curl(QUERIES_API)} | jq -er .id)`;
  return [
    '#!/usr/bin/env bash',
    '# Creates each exported query with the Databricks SQL Queries API, then its alert with the',
    `# Alerts API, putting the new query's id in place of ${QUERY_ID_PLACEHOLDER}. Needs curl and jq.`,
    `# Set DATABRICKS_HOST (https://<workspace>.gcp.databricks.com) and DATABRICKS_TOKEN${warehouseId ? '' : ', and DATABRICKS_WAREHOUSE_ID (the export names no warehouse)'}.`,
    'set -euo pipefail',
    ': "${DATABRICKS_HOST:?set DATABRICKS_HOST}" "${DATABRICKS_TOKEN:?set DATABRICKS_TOKEN}"',
    ...(warehouseId ? [] : [': "${DATABRICKS_WAREHOUSE_ID:?set DATABRICKS_WAREHOUSE_ID}"']),
    'cd "$(dirname "$0")"',
    'for query in queries/*.json; do',
    '  alert="alerts/$(basename "$query")"',
    query,
    `  jq --arg id "$query_id" '.alert.query_id = $id' "$alert" | ${curl(ALERTS_API)} > /dev/null`,
    '  echo "created $query (query $query_id) and $alert"',
    'done',
    '',
  ].join('\n');
}

export function alertExportIndex(exported: readonly ExportedDetection[], scope: AlertScope, warehouseId: string | undefined): AlertExportIndex {
  return {
    about: "Databricks SQL queries and alerts exported by Audit Lens: for each detection, the request body that saves its SQL as a query (queries/) and the one that alerts on it (alerts/), in the shapes of Databricks' Queries and Alerts REST APIs.",
    apis: { queries: QUERIES_API, alerts: ALERTS_API },
    auditLogs: scope.auditTable ? { table: scope.auditTable } : { readFiles: scope.sources },
    warehouseId: warehouseId ?? null,
    queryIdPlaceholder: QUERY_ID_PLACEHOLDER,
    findingsColumn: FINDINGS_COLUMN,
    detections: exported.map((e) => ({
      id: e.detection.id,
      title: e.detection.title,
      severity: e.detection.severity,
      pack: e.detection.pack,
      query: `queries/${e.name}.json`,
      alert: `alerts/${e.name}.json`,
      condition: e.condition,
    })),
    deploy: {
      script: SCRIPT,
      note: [
        `POST each queries/<name>.json to ${QUERIES_API.path}; the answer's "id" is the query id.`,
        `Put that id in alerts/<name>.json in place of ${QUERY_ID_PLACEHOLDER} (alert.query_id), then POST it to ${ALERTS_API.path}.`,
        ...(warehouseId ? [] : ['The queries name no SQL warehouse: add query.warehouse_id before posting them (deploy.sh takes it from DATABRICKS_WAREHOUSE_ID).']),
        `${SCRIPT} does both with curl and jq: DATABRICKS_HOST=https://<workspace>.gcp.databricks.com DATABRICKS_TOKEN=<token> ./${SCRIPT}`,
        'The requests carry no schedule: give each alert one in Databricks SQL (the alert\'s Schedule) so it runs.',
        `A detection with its own alert keeps its condition; for the others each row is a finding, counted in ${FINDINGS_COLUMN}, and the alert triggers above 0.`,
      ],
    },
  };
}

function writeError(error: unknown, file: string): AuditLensError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = error instanceof Error ? error.message : String(error);
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') return new AuditLensError('permission-denied', `Permission denied writing ${file}.`, reason, { cause: error });
  if (code === 'ENOTDIR' || code === 'EEXIST') return new AuditLensError('usage', `Cannot write ${file}: a file stands where a folder should be.`, reason, { cause: error });
  return new AuditLensError('data', `Could not write ${file}: ${reason}`, reason, { cause: error });
}

/** Throws a usage error when `dir` exists and is not a folder. */
export function checkExportFolder(dir: string): void {
  let stat;
  try {
    stat = statSync(dir);
  } catch {
    return;
  }
  if (!stat.isDirectory()) throw new AuditLensError('usage', `'${dir}' is a file: the export writes a folder of queries and alerts, so give a folder (new or existing).`);
}

function writeJson(file: string, value: unknown): void {
  try {
    writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
  } catch (error) {
    throw writeError(error, file);
  }
}

/** Writes the export into `dir` (created if need be; files of the same names are replaced). Returns the files written, relative to `dir`. */
export function writeAlertExport(dir: string, exported: readonly ExportedDetection[], scope: AlertScope, warehouseId: string | undefined): string[] {
  checkExportFolder(dir);
  for (const sub of ['queries', 'alerts']) {
    const folder = path.join(dir, sub);
    try {
      mkdirSync(folder, { recursive: true });
    } catch (error) {
      throw writeError(error, folder);
    }
  }
  const written: string[] = [];
  for (const e of exported) {
    writeJson(path.join(dir, 'queries', `${e.name}.json`), e.query);
    writeJson(path.join(dir, 'alerts', `${e.name}.json`), e.alert);
    written.push(`queries/${e.name}.json`, `alerts/${e.name}.json`);
  }
  writeJson(path.join(dir, 'index.json'), alertExportIndex(exported, scope, warehouseId));
  const script = path.join(dir, SCRIPT);
  try {
    writeFileSync(script, deployScript(warehouseId));
    chmodSync(script, 0o755);
  } catch (error) {
    throw writeError(error, script);
  }
  written.push('index.json', SCRIPT);
  return written;
}
