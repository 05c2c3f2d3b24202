/**
 * One streaming pass over a delivered file for coverage: its events per UTC hour, its newest
 * event, each event's identity (for duplicates), its line count and a digest of its bytes (and of
 * the bytes it had before, to tell an append from a rewrite).
 */
import { createHash, type Hash } from 'node:crypto';
import { readLineBatches } from '../jsonl';
import type { WorkOptions } from '../progress';
import type { AuditFile, AuditSource } from '../sources/types';

export const HOUR_MS = 3_600_000;

export interface HourTally {
  events: number;
  first: number;
  last: number;
}

export interface FileCoverage {
  file: AuditFile;
  /** Non-blank lines, records or not. */
  lines: number;
  rejected: number;
  bytes: number;
  sha256: string;
  /** Digest of the first `prefixBytes` bytes, when asked for and the file holds that many. */
  prefixSha256?: string;
  /** Start of each UTC hour (epoch ms) → its events. */
  hours: Map<number, HourTally>;
  newestEvent: number | null;
  events: number;
  /** Events that name a request: their identity key and line, in file order. */
  identities: { key: string; line: number }[];
}

/** An event's identity: the same request, at the same time, of the same service and action. */
export interface EventIdentity {
  requestId: string;
  timestamp: number;
  serviceName: string;
  actionName: string;
}

function text(value: unknown): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : JSON.stringify(value);
}

function epochMs(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && /^\d{1,16}$/.test(value)) return Number(value);
  return undefined;
}

export function identityOf(record: Record<string, unknown>): EventIdentity | undefined {
  const requestId = record.requestId;
  const timestamp = epochMs(record.timestamp);
  if (typeof requestId !== 'string' || requestId === '' || timestamp === undefined) return undefined;
  return { requestId, timestamp, serviceName: text(record.serviceName), actionName: text(record.actionName) };
}

/** An identity as one string (JSON), what the duplicate search keeps per event; `parseIdentityKey` reads it back. */
export function identityKey(identity: EventIdentity): string {
  return JSON.stringify([identity.requestId, identity.timestamp, identity.serviceName, identity.actionName]);
}

export function parseIdentityKey(key: string): EventIdentity {
  const [requestId, timestamp, serviceName, actionName] = JSON.parse(key) as [string, number, string, string];
  return { requestId, timestamp, serviceName, actionName };
}

/** Passes the chunks through, feeding the digests on the way. */
async function* digesting(chunks: AsyncIterable<Uint8Array>, whole: Hash, prefix: { hash: Hash; left: number } | undefined, counted: { bytes: number }): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) {
    whole.update(chunk);
    counted.bytes += chunk.length;
    if (prefix && prefix.left > 0) {
      const part = chunk.length <= prefix.left ? chunk : chunk.subarray(0, prefix.left);
      prefix.hash.update(part);
      prefix.left -= part.length;
    }
    yield chunk;
  }
}

export async function readFileCoverage(source: AuditSource, file: AuditFile, options: WorkOptions & { prefixBytes?: number } = {}): Promise<FileCoverage> {
  const whole = createHash('sha256');
  const prefix = options.prefixBytes !== undefined ? { hash: createHash('sha256'), left: options.prefixBytes } : undefined;
  const counted = { bytes: 0 };
  const result: FileCoverage = { file, lines: 0, rejected: 0, bytes: 0, sha256: '', hours: new Map(), newestEvent: null, events: 0, identities: [] };
  const chunks = digesting(source.openRead(file, options.signal ? { signal: options.signal } : {}), whole, prefix, counted);
  for await (const batch of readLineBatches(chunks, options.signal ? { signal: options.signal } : {})) {
    for (const item of batch) {
      result.lines++;
      if (item.kind === 'problem') {
        result.rejected++;
        continue;
      }
      let record: unknown;
      try {
        record = JSON.parse(item.text);
      } catch {
        record = undefined;
      }
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        result.rejected++;
        continue;
      }
      const fields = record as Record<string, unknown>;
      result.events++;
      const timestamp = epochMs(fields.timestamp);
      if (timestamp !== undefined) {
        const hour = Math.floor(timestamp / HOUR_MS) * HOUR_MS;
        const tally = result.hours.get(hour);
        if (tally) {
          tally.events++;
          if (timestamp < tally.first) tally.first = timestamp;
          if (timestamp > tally.last) tally.last = timestamp;
        } else {
          result.hours.set(hour, { events: 1, first: timestamp, last: timestamp });
        }
        if (result.newestEvent === null || timestamp > result.newestEvent) result.newestEvent = timestamp;
      }
      const identity = identityOf(fields);
      if (identity) result.identities.push({ key: identityKey(identity), line: item.line });
    }
  }
  result.bytes = counted.bytes;
  result.sha256 = whole.digest('hex');
  if (prefix && prefix.left === 0) result.prefixSha256 = prefix.hash.digest('hex');
  return result;
}
