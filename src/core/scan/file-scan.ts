/**
 * What one read of an audit file teaches: record and rejection counts, events and errors per
 * service and action, the time span, and how many validation findings of each severity. Add fields here (and bump SCAN_FORMAT_VERSION so cached
 * scans without them are read again).
 */
import { throwIfCancelled } from '../errors';
import { readLineBatches } from '../jsonl';
import type { WorkOptions } from '../progress';
import type { AuditFile, AuditSource } from '../sources/types';
import { validateLine, type Severity } from '../validate';
import { identitiesOf } from './identity-index';
import { ALWAYS_READ, groupOf, type LineIndexBuilder } from './line-index';

/** Bump whenever FileScan or the line index changes shape or meaning: cached scans of another version are ignored. */
export const SCAN_FORMAT_VERSION = 7;

export interface ActionCounts {
  events: number;
  /** Records whose response.statusCode is 400 or more. */
  errors: number;
}

/** service → action → counts. Objects without a prototype, so any name is a safe key. */
export type ServiceCounts = Record<string, Record<string, ActionCounts>>;

export interface FileScan {
  /** Lines that parsed as JSON objects. */
  records: number;
  /** Lines that did not (invalid JSON, not an object, not UTF-8, over-long). */
  rejected: number;
  services: ServiceCounts;
  /** Smallest and largest `timestamp` (epoch ms) seen; null when no record had one. */
  firstTimestamp: number | null;
  lastTimestamp: number | null;
  /** Validation findings by severity (schema, catalog, folder agreement; rejected lines are errors). */
  findings: FindingCounts;
}

export type FindingCounts = Record<Severity, number>;

/** Shown for records that lack a serviceName or actionName. */
export const MISSING_NAME = '(none)';

export function emptyScan(): FileScan {
  return {
    records: 0,
    rejected: 0,
    services: Object.create(null) as ServiceCounts,
    firstTimestamp: null,
    lastTimestamp: null,
    findings: { error: 0, warning: 0, information: 0 },
  };
}

function nameOf(value: unknown): string {
  return typeof value === 'string' && value !== '' ? value : MISSING_NAME;
}

function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
  return undefined;
}

function statusCodeOf(record: Record<string, unknown>): number | undefined {
  const response = record.response;
  if (typeof response !== 'object' || response === null) return undefined;
  return numberOf((response as Record<string, unknown>).statusCode);
}

/** Adds one parsed record to a scan. */
export function addRecord(scan: FileScan, record: Record<string, unknown>): void {
  scan.records++;
  const service = nameOf(record.serviceName);
  const action = nameOf(record.actionName);
  const actions = (scan.services[service] ??= Object.create(null) as Record<string, ActionCounts>);
  const counts = (actions[action] ??= { events: 0, errors: 0 });
  counts.events++;
  const status = statusCodeOf(record);
  if (status !== undefined && status >= 400) counts.errors++;
  const timestamp = numberOf(record.timestamp);
  if (timestamp !== undefined) {
    if (scan.firstTimestamp === null || timestamp < scan.firstTimestamp) scan.firstTimestamp = timestamp;
    if (scan.lastTimestamp === null || timestamp > scan.lastTimestamp) scan.lastTimestamp = timestamp;
  }
}

/**
 * Reads one file through its source (streaming), validating each line, and summarises it; with
 * `index`, also records where each line is by the names and identities it holds.
 */
export async function scanFile(source: AuditSource, file: AuditFile, options: WorkOptions & { index?: LineIndexBuilder } = {}): Promise<FileScan> {
  const index = options.index;
  const scan = emptyScan();
  const readOptions = options.signal ? { signal: options.signal } : {};
  const context = { file: file.uri, expectedWorkspaceId: file.workspaceId, expectedDate: file.date };
  for await (const batch of readLineBatches(source.openRead(file, options), readOptions)) {
    for (const item of batch) {
      if (item.kind === 'problem') {
        scan.rejected++;
        scan.findings.error++;
        index?.markUnusable();
        continue;
      }
      const result = validateLine(item.text, { ...context, line: item.line });
      for (const finding of result.findings) scan.findings[finding.severity]++;
      if (result.value) addRecord(scan, result.value);
      else scan.rejected++;
      if (!index) continue;
      const identities = result.value && identitiesOf(item.text, result.value);
      const group = result.value && identities ? groupOf(item.text, result.value) : ALWAYS_READ;
      index.add(group, { line: item.line, offset: item.offset, length: Buffer.byteLength(item.text) }, identities);
    }
  }
  throwIfCancelled(options.signal);
  return scan;
}

/** Sums scans (e.g. every file of a date) into one. */
export function mergeScans(scans: Iterable<FileScan>): FileScan {
  const total = emptyScan();
  for (const scan of scans) {
    total.records += scan.records;
    total.rejected += scan.rejected;
    for (const severity of ['error', 'warning', 'information'] as const) total.findings[severity] += scan.findings[severity];
    for (const [service, actions] of Object.entries(scan.services)) {
      const into = (total.services[service] ??= Object.create(null) as Record<string, ActionCounts>);
      for (const [action, counts] of Object.entries(actions)) {
        const sum = (into[action] ??= { events: 0, errors: 0 });
        sum.events += counts.events;
        sum.errors += counts.errors;
      }
    }
    for (const t of [scan.firstTimestamp, scan.lastTimestamp]) {
      if (t === null) continue;
      if (total.firstTimestamp === null || t < total.firstTimestamp) total.firstTimestamp = t;
      if (total.lastTimestamp === null || t > total.lastTimestamp) total.lastTimestamp = t;
    }
  }
  return total;
}
