/**
 * Generates delivery trees: for every workspace (plus `0` for account-level events) and every day,
 * one to three `auditlogs_<id>.json` files of realistic records. Each partition draws from its own
 * seeded stream, so any partition can be regenerated alone and the output never depends on order.
 */
import { ACCOUNT_ACTIONS, WORKSPACE_ACTIONS, type ActionRow } from './actionTable';
import { EventContext } from './context';
import { buildEvent } from './events';
import { Random } from './random';
import type { AuditRecord, GeneratedRecord } from './types';
import { makeWorld, type World } from './world';
import { formatObjectPath, isValidDate } from '../../../src/core/layout';

export interface GenerateOptions {
  seed: string | number;
  /** How many workspaces, or their ids. Default 3. */
  workspaces?: number | readonly string[];
  /** Number of consecutive days. Default 7. */
  days?: number;
  /** First day, YYYY-MM-DD. Default 2024-05-06. */
  startDate?: string;
  /** Records per workspace and day (the account partition gets `accountShare` of it). Default 200. */
  recordsPerDay?: number;
  /** Default 0.15. */
  accountShare?: number;
  /** Delivery path prefix; default none. */
  prefix?: string;
}

export interface DeliveryFile {
  /** `[<prefix>/]workspaceId=<id>/date=<d>/auditlogs_<id>.json` */
  relativePath: string;
  workspaceId: string;
  date: string;
  records: AuditRecord[];
}

const DAY_MS = 86_400_000;
/** Relative activity per UTC hour: quiet nights, busy working hours. */
const HOUR_WEIGHTS = [1, 1, 1, 1, 1, 2, 3, 5, 8, 9, 9, 8, 7, 8, 9, 9, 8, 6, 4, 3, 2, 2, 1, 1].map((w, h) => [h, w] as const);

interface Resolved {
  seed: string;
  world: World;
  dates: string[];
  recordsPerDay: number;
  accountShare: number;
  prefix: string;
}

function resolve(options: GenerateOptions): Resolved {
  const startDate = options.startDate ?? '2024-05-06';
  if (!isValidDate(startDate)) throw new Error(`startDate '${startDate}' is not a date written YYYY-MM-DD`);
  const days = options.days ?? 7;
  const start = Date.parse(`${startDate}T00:00:00Z`);
  const dates = Array.from({ length: days }, (_, i) => new Date(start + i * DAY_MS).toISOString().slice(0, 10));
  const workspaces = options.workspaces ?? 3;
  const world = typeof workspaces === 'number' ? makeWorld(options.seed, workspaces) : makeWorld(options.seed, workspaces.length, workspaces);
  return {
    seed: String(options.seed),
    world,
    dates,
    recordsPerDay: options.recordsPerDay ?? 200,
    accountShare: options.accountShare ?? 0.15,
    prefix: options.prefix ?? '',
  };
}

/** The records of one partition, in timestamp order. */
function generatePartition(r: Resolved, workspaceId: string, date: string, target: number): AuditRecord[] {
  const rng = new Random(`${r.seed}:${workspaceId}:${date}`);
  const workspace = workspaceId === '0' ? null : r.world.workspaces.find((w) => w.id === workspaceId)!;
  const rows: readonly ActionRow[] = workspace ? WORKSPACE_ACTIONS : ACCOUNT_ACTIONS;
  const weighted = rows.map((row) => [row, row.weight] as const);
  const dayStart = Date.parse(`${date}T00:00:00Z`);
  const out: AuditRecord[] = [];
  while (out.length < target) {
    const time = dayStart + rng.weighted(HOUR_WEIGHTS) * 3_600_000 + rng.int(0, 3_599_999);
    buildEvent(new EventContext(rng, r.world, workspace, time, dayStart + DAY_MS - 1, out), rng.weighted(weighted));
  }
  // Stable sort keeps a request before its response when both land on the same millisecond.
  return out.sort((a, b) => a.timestamp - b.timestamp);
}

function splitIntoFiles(r: Resolved, workspaceId: string, date: string, records: AuditRecord[]): DeliveryFile[] {
  const rng = new Random(`${r.seed}:${workspaceId}:${date}:files`);
  const count = records.length > 60 ? rng.int(1, 3) : 1;
  const size = Math.ceil(records.length / count);
  const files: DeliveryFile[] = [];
  for (let i = 0; i < count; i++) {
    const chunk = records.slice(i * size, (i + 1) * size);
    if (chunk.length === 0) continue;
    const internalId = rng.uuid();
    files.push({ relativePath: formatObjectPath({ prefix: r.prefix, workspaceId, date, internalId }), workspaceId, date, records: chunk });
  }
  return files;
}

/** Every file of the tree, partition by partition (workspace `0` first, then each workspace). */
export function* generateDeliveryFiles(options: GenerateOptions): Generator<DeliveryFile> {
  const r = resolve(options);
  const partitions = ['0', ...r.world.workspaces.map((w) => w.id)];
  for (const workspaceId of partitions) {
    for (const date of r.dates) {
      const target = workspaceId === '0' ? Math.max(5, Math.round(r.recordsPerDay * r.accountShare)) : r.recordsPerDay;
      yield* splitIntoFiles(r, workspaceId, date, generatePartition(r, workspaceId, date, target));
    }
  }
}

/** Every record with the partition it is delivered under, in the same order as the files. */
export function* generateRecords(options: GenerateOptions): Generator<GeneratedRecord> {
  for (const file of generateDeliveryFiles(options)) {
    for (const record of file.records) yield { workspaceId: file.workspaceId, date: file.date, record };
  }
}

/** JSON Lines: one record per line, each line ending in a newline. */
export function serializeRecords(records: readonly AuditRecord[]): string {
  let text = '';
  for (const record of records) text += JSON.stringify(record) + '\n';
  return text;
}

/** The workspace ids the options produce (without `0`). */
export function generatedWorkspaceIds(options: GenerateOptions): string[] {
  return resolve(options).world.workspaces.map((w) => w.id);
}
