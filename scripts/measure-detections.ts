/**
 * Times each built-in detection's query over the table `detect` loads (only the lines the
 * detections read), median of three runs, with each answer's row count and a digest of its rows
 * so a change to the functions can be checked to give the same answers.
 *
 *   npm run build && node --import tsx scripts/measure-detections.ts TREE [--runs N] [--only id,id]
 *   node --import tsx scripts/measure-detections.ts TREE --snapshot FILE   (in this thread, for profiling)
 *
 * With --snapshot the database is loaded on this thread and saved to FILE the first time, and
 * opened from FILE afterwards (the same rows, without loading again).
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { detectionPushdown, selectDetections, type Detection } from '../src/core/analyses';
import { AuditDatabase } from '../src/core/sql/database';
import { loadIntoDatabase } from '../src/core/sql/loader';
import { QuerySession } from '../src/worker/query/client';
import { QUERY_WORKER_FILE } from '../src/worker/entries';

interface Answer {
  rowCount: number;
  rows: unknown[][];
}
type Run = (sql: string) => Promise<Answer>;

function option(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const tree = process.argv[2];
if (!tree || tree.startsWith('--')) {
  console.error('usage: measure-detections.ts TREE [--runs N] [--only id,id] [--snapshot FILE]');
  process.exit(2);
}
const runs = Number(option('--runs') ?? 3);
const only = option('--only');
const snapshotFile = option('--snapshot');
const all = selectDetections();
const measured = only ? selectDetections(only.split(',')) : all;
const pushdown = detectionPushdown(all);
const maxRows = 3_000_000;

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const digest = (rows: unknown[][]): string =>
  createHash('sha1')
    .update(JSON.stringify(rows, (_, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)))
    .digest('hex')
    .slice(0, 12);

async function inThread(file: string): Promise<{ run: Run; close: () => void }> {
  const wasmPath = require.resolve('sql.js/dist/sql-wasm.wasm');
  let database: AuditDatabase;
  if (existsSync(file)) {
    database = await AuditDatabase.open({ wasmPath, snapshot: readFileSync(file) });
    console.log(`opened ${file}: ${database.rowCount} rows`);
  } else {
    database = await AuditDatabase.open({ wasmPath });
    const started = performance.now();
    const summary = await loadIntoDatabase(database, { sources: [tree!], ...pushdown }, { maxRows });
    console.log(`load ${Math.round(performance.now() - started)} ms, ${summary.recordsLoaded} records`);
    writeFileSync(file, database.snapshot());
  }
  return { run: (sql) => Promise.resolve(database.query(sql, 1000)), close: () => database.close() };
}

async function inWorker(): Promise<{ run: Run; close: () => Promise<void> }> {
  const session = await QuerySession.open({ workerPath: path.join('dist', QUERY_WORKER_FILE), maxRows });
  const started = performance.now();
  const summary = await session.load({ sources: [tree!], ...pushdown });
  console.log(`load ${Math.round(performance.now() - started)} ms, ${summary.recordsLoaded} records`);
  return { run: (sql) => session.query(sql, { maxRows: 1000 }), close: () => session.dispose() };
}

async function time(run: Run, detection: Detection): Promise<{ ms: number; answer: Answer }> {
  const times: number[] = [];
  let answer: Answer | undefined;
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    answer = await run(detection.sql);
    times.push(performance.now() - started);
  }
  return { ms: median(times), answer: answer! };
}

async function main(): Promise<void> {
  const engine = snapshotFile ? await inThread(snapshotFile) : await inWorker();
  let total = 0;
  for (const detection of measured) {
    const { ms, answer } = await time(engine.run, detection);
    total += ms;
    console.log(`${detection.id.padEnd(34)} ${ms.toFixed(1).padStart(8)} ms  ${String(answer.rowCount).padStart(6)} rows  ${digest(answer.rows)}`);
  }
  console.log(`${'total'.padEnd(34)} ${total.toFixed(1).padStart(8)} ms`);
  await engine.close();
}

void main();
