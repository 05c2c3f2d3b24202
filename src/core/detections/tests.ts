/**
 * Detection tests: each detection's `fires` records, loaded together into a fresh table, must give
 * at least one row, and its `quiet` records (near misses) none. Records are written as a delivery
 * tree (workspaceId=…/date=…/) in the process's private temporary folder. The records it must fire
 * on load the way a run loads logs, with the detection's own pushdown, so a `services` list that
 * leaves them out fails the test; near misses load whole, so its SQL alone must leave them out.
 * Every "now" answers at the latest test record's timestamp, so relative windows hold.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { AuditLensError, throwIfCancelled } from '../errors';
import type { WorkOptions } from '../progress';
import type { LoadSummary } from '../sql/loader';
import type { Pushdown } from '../sql/pushdown';
import { privateTempFolder } from '../tempFiles';
import { toJsonText } from '../sql/values';
import type { QueryResult } from '../sql/database';
import { detectionPushdown } from '../analyses/run';
import type { Detection } from '../analyses/types';
import { plural } from '../../shared/text/quantities';

/** Loads a folder and runs SQL over it: a query session, in the CLI and in tests. */
export interface DetectionTestEngine {
  load(folder: string, pushdown: Pushdown, signal?: AbortSignal): Promise<Pick<LoadSummary, 'recordsLoaded' | 'linesRejected' | 'linesSkippedByFilter' | 'problems'>>;
  query(sql: string, options: { asOf?: number; maxRows?: number; signal?: AbortSignal }): Promise<Omit<QueryResult, 'durationMs'>>;
}

export type DetectionTestKind = 'fires' | 'quiet';

export interface DetectionTestResult {
  detection: Detection;
  kind: DetectionTestKind;
  passed: boolean;
  records: number;
  rows: number;
  /** Why it passed or failed, in a sentence. */
  reason: string;
}


function partitionOf(line: string): { workspaceId: string; date: string; timestamp?: number } {
  const record = JSON.parse(line) as Record<string, unknown>;
  const ws = record.workspaceId;
  const workspaceId = typeof ws === 'string' && /^\d+$/.test(ws) ? ws : typeof ws === 'number' && Number.isSafeInteger(ws) && ws >= 0 ? String(ws) : '0';
  const timestamp = typeof record.timestamp === 'number' && Number.isFinite(record.timestamp) ? record.timestamp : undefined;
  const date = timestamp === undefined ? '1970-01-01' : new Date(timestamp).toISOString().slice(0, 10);
  return { workspaceId, date, ...(timestamp === undefined ? {} : { timestamp }) };
}

/** Writes the records as a delivery tree; resolves to the latest timestamp among them. */
async function writeTree(folder: string, records: readonly string[]): Promise<number | undefined> {
  const files = new Map<string, string[]>();
  let latest: number | undefined;
  for (const line of records) {
    const { workspaceId, date, timestamp } = partitionOf(line);
    if (timestamp !== undefined) latest = Math.max(latest ?? timestamp, timestamp);
    const file = path.join(folder, `workspaceId=${workspaceId}`, `date=${date}`, 'auditlogs_test.json');
    files.set(file, [...(files.get(file) ?? []), line]);
  }
  for (const [file, lines] of files) {
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, lines.join('\n') + '\n');
  }
  return latest;
}

function firstRow(result: Omit<QueryResult, 'durationMs'>): string {
  const row = result.rows[0];
  if (!row) return '';
  const cells = result.columns.map((column, i) => `${JSON.stringify(column)}:${toJsonText(row[i], result.columnKinds[i] ?? 'value')}`);
  const text = `{${cells.join(',')}}`;
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

async function runCase(detection: Detection, kind: DetectionTestKind, records: readonly string[], engine: DetectionTestEngine, root: string, signal?: AbortSignal): Promise<DetectionTestResult> {
  const base = { detection, kind, records: records.length };
  const folder = await mkdtemp(path.join(root, 'case-'));
  try {
    const asOf = await writeTree(folder, records);
    const loaded = await engine.load(folder, kind === 'fires' ? detectionPushdown([detection]) : {}, signal);
    if (loaded.linesRejected > 0) {
      const problem = loaded.problems[0];
      return { ...base, passed: false, rows: 0, reason: `${plural(loaded.linesRejected, 'record')} did not load${problem ? `: ${problem.reason}` : ''}` };
    }
    let result: Omit<QueryResult, 'durationMs'>;
    try {
      result = await engine.query(detection.sql, { maxRows: 1, signal, ...(asOf === undefined ? {} : { asOf }) });
    } catch (e) {
      const error = AuditLensError.from(e);
      if (error.code === 'cancelled') throw error;
      return { ...base, passed: false, rows: 0, reason: `its SQL failed: ${error.userMessage}` };
    }
    const rows = result.rowCount;
    const skipped = loaded.linesSkippedByFilter > 0 ? ` (${plural(loaded.linesSkippedByFilter, 'record')} left out: not of the services and actions it reads)` : '';
    if (kind === 'fires') {
      return rows > 0
        ? { ...base, passed: true, rows, reason: `fired: ${plural(rows, 'row')} from ${plural(records.length, 'record')}` }
        : { ...base, passed: false, rows, reason: `found nothing in the ${plural(records.length, 'record')} it must fire on${skipped}` };
    }
    return rows === 0
      ? { ...base, passed: true, rows, reason: `quiet on ${records.length} near ${records.length === 1 ? 'miss' : 'misses'}` }
      : { ...base, passed: false, rows, reason: `fired on its near misses: ${plural(rows, 'row')}, the first ${firstRow(result)}` };
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

/** Runs every test of every detection in turn; a detection without tests gives no result. */
export async function runDetectionTests(list: readonly Detection[], engine: DetectionTestEngine, options: WorkOptions = {}): Promise<DetectionTestResult[]> {
  const root = await mkdtemp(path.join(privateTempFolder(), 'detection-tests-'));
  const results: DetectionTestResult[] = [];
  try {
    for (const [index, detection] of list.entries()) {
      throwIfCancelled(options.signal);
      options.onProgress?.({ message: `Testing ${detection.id}…`, done: index, total: list.length });
      for (const kind of ['fires', 'quiet'] as const) {
        const records = detection.tests[kind];
        if (records.length > 0) results.push(await runCase(detection, kind, records, engine, root, options.signal));
      }
    }
  } finally {
    await rm(root, { recursive: true, force: true });
  }
  return results;
}

/** The detections that have no test at all. */
export function untested(list: readonly Detection[]): Detection[] {
  return list.filter((d) => d.tests.fires.length === 0 && d.tests.quiet.length === 0);
}
