/**
 * A delivery tree for timeline tests — several workspaces, the account level, several days —
 * holding the cases a timeline must get right, and an independent oracle that reads the same
 * files with JSON.parse (not through the engine) and says which lines belong to an identity.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Identity, Timeline } from '../../src/shared/timeline';
import { aRecord, writeDeliveryTree, type AuditRecord, type DeliveryTree, type FileSpec } from './deliveryTree';
import { Random } from './generate';

export const ALICE = 'alice@example.com';
/** Quotes, a backslash, a bidi override, a terminal escape and SQL: every way a value can fight a literal or a screen. */
export const HOSTILE_ACTOR = `o'brien\\"x\u202E\u001b[31m'); DROP TABLE audit_logs; --@example.com`;
export const IP = '198.51.100.7';
export const IP_WITH_PORT = `${IP}:5432`;
export const IPV6 = '2001:db8::7';
export const HOSTILE_SESSION = `sess'\\n"1`;
export const PAIRED_REQUEST = 'req-paired-1';

const WORKSPACES = ['0', '1234567890123456', '98765432109876543210'];
const DATES = ['2026-11-29', '2026-11-30', '2026-12-01'];

const HOUR = 3_600_000;
const OTHERS = ['bob@example.com', `x${ALICE}`, `${ALICE}.evil`, 'System-User'];
const IPS = [IP, IP_WITH_PORT, `${IP}0`, '203.0.113.9', ''];
const SESSIONS = ['s-1', HOSTILE_SESSION, 's-2'];
const SERVICES: [string, string][] = [
  ['clusters', 'create'],
  ['accounts', 'login'],
  ['notebook', 'runCommand'],
  ['unityCatalog', 'getTable'],
  ['jobs', 'runNow'],
];

function fileLines(workspaceId: string, date: string, random: Random): (AuditRecord | string)[] {
  const day = Date.parse(`${date}T00:00:00Z`);
  const lines: (AuditRecord | string)[] = [];
  for (let i = 0; i < 40; i++) {
    const [serviceName, actionName] = random.pick(SERVICES);
    const email = random.pick([ALICE, HOSTILE_ACTOR, ...OTHERS]);
    lines.push(
      aRecord({
        workspaceId,
        timestamp: day + random.int(0, 24 * HOUR - 1),
        userIdentity: { email },
        serviceName,
        actionName,
        sourceIPAddress: random.pick(IPS),
        sessionId: random.pick(SESSIONS),
        userAgent: random.pick(['curl/8.0', 'Mozilla/5.0 (X11)', `agent'\\${workspaceId}`]),
        requestId: `req-${workspaceId}-${date}-${i}`,
      }),
    );
  }
  const noon = day + 12 * HOUR;
  // A failed login: no email, the attempted user in requestParams.user.
  lines.push(aRecord({ workspaceId, timestamp: noon, userIdentity: { email: null }, serviceName: 'accounts', actionName: 'login', requestParams: { user: ALICE }, response: { statusCode: 401, errorMessage: 'Invalid credentials', result: null }, requestId: `req-fail-${workspaceId}-${date}` }));
  lines.push(aRecord({ workspaceId, timestamp: noon + 1, userIdentity: { email: null }, serviceName: 'accounts', actionName: 'login', requestParams: { user: HOSTILE_ACTOR }, requestId: `req-fail-h-${workspaceId}-${date}` }));
  // Someone else acting on Alice: her name in requestParams.user, but the email is theirs.
  lines.push(aRecord({ workspaceId, timestamp: noon + 2, userIdentity: { email: 'admin@example.com' }, serviceName: 'accounts', actionName: 'resetPassword', requestParams: { user: ALICE }, requestId: `req-admin-${workspaceId}-${date}` }));
  // Alice's email spelled with a JSON escape: the bytes do not hold it, the record does.
  lines.push(JSON.stringify(aRecord({ workspaceId, timestamp: noon + 3, userIdentity: { email: ALICE }, requestId: `req-escaped-${workspaceId}-${date}`, sourceIPAddress: IP })).replace('alice@', 'alice\\u0040').replace(IP, '198.51.100\\u002e7'));
  // The address logged with a port: its colon escaped, IPv6 in brackets; and near misses.
  const other = { workspaceId, userIdentity: { email: 'bob@example.com' }, serviceName: 'jobs', actionName: 'runNow' };
  lines.push(JSON.stringify(aRecord({ ...other, timestamp: noon + 4, sourceIPAddress: `${IP}:52344`, requestId: `req-port-${workspaceId}-${date}` })).replace(`${IP}:`, `${IP}\\u003a`));
  lines.push(aRecord({ ...other, timestamp: noon + 5, sourceIPAddress: `[${IPV6}]:443`, requestId: `req-v6-port-${workspaceId}-${date}` }));
  lines.push(aRecord({ ...other, timestamp: noon + 6, sourceIPAddress: IPV6, requestId: `req-v6-${workspaceId}-${date}` }));
  lines.push(aRecord({ ...other, timestamp: noon + 7, sourceIPAddress: `${IP}0:8080`, requestId: `req-near-${workspaceId}-${date}` }));
  lines.push(aRecord({ ...other, timestamp: noon + 8, sourceIPAddress: `${IPV6}:443`, requestId: `req-v6-bare-port-${workspaceId}-${date}` }));
  lines.push('not json {');
  return lines;
}

/** A long action: its request (status null), another event of Alice in between, then its result. */
function pairedRequest(): FileSpec {
  const start = Date.parse('2026-11-30T09:00:00Z');
  const base = { workspaceId: WORKSPACES[1]!, userIdentity: { email: ALICE }, serviceName: 'clusters', sourceIPAddress: IP };
  return {
    workspaceId: WORKSPACES[1]!,
    date: '2026-11-30',
    name: 'auditlogs_paired.json',
    lines: [
      aRecord({ ...base, timestamp: start, actionName: 'create', requestId: PAIRED_REQUEST, response: { statusCode: null, errorMessage: null, result: null } }),
      aRecord({ ...base, timestamp: start + 60_000, actionName: 'list', requestId: 'req-between' }),
      aRecord({ ...base, timestamp: start + 300_000, actionName: 'createResult', requestId: PAIRED_REQUEST, response: { statusCode: 200, errorMessage: null, result: '{"cluster_id":"x"}' } }),
    ],
  };
}

export function writeTimelineTree(): DeliveryTree {
  const random = new Random('timeline-tree');
  const specs: FileSpec[] = [];
  for (const workspaceId of WORKSPACES) {
    for (const date of DATES) specs.push({ workspaceId, date, lines: fileLines(workspaceId, date, random) });
  }
  specs.push(pairedRequest());
  return writeDeliveryTree(specs);
}

/** What a timeline must hold, counted straight from the files. */
export interface ExpectedTimeline {
  /** `file:line` of every event, sorted. */
  locations: string[];
  /** `workspaceId` → serviceName → events. */
  byWorkspaceService: Record<string, Record<string, number>>;
  workspaces: string[];
  first: number | null;
  last: number | null;
  ipAddresses: Record<string, number>;
}

interface ParsedRecord {
  timestamp?: unknown;
  userIdentity?: { email?: unknown } | null;
  requestParams?: { user?: unknown } | null;
  sourceIPAddress?: unknown;
  sessionId?: unknown;
  requestId?: unknown;
  serviceName?: unknown;
}

function belongs(record: ParsedRecord, identity: Identity): boolean {
  switch (identity.kind) {
    case 'actor': {
      const email = record.userIdentity?.email ?? null;
      return email === identity.value || (email === null && record.requestParams?.user === identity.value);
    }
    case 'ip':
      return typeof record.sourceIPAddress === 'string' && (record.sourceIPAddress === identity.value || isWithPort(record.sourceIPAddress, identity.value));
    case 'session':
      return record.sessionId === identity.value;
    case 'request':
      return record.requestId === identity.value;
  }
}

/** Whether `logged` is `address:port` (an IPv6 address: `[address]:port`); an address given with a port has no other form. */
function isWithPort(logged: string, address: string): boolean {
  const colons = [...address].filter((c) => c === ':').length;
  if (address.startsWith('[') || colons === 1) return false;
  const host = colons === 0 ? address : `[${address}]`;
  return logged.slice(0, host.length + 1) === `${host}:`;
}

/** The identity's events in the files, both window ends inclusive, by reading each line with JSON.parse. */
export function expectedTimeline(files: readonly string[], identity: Identity, window: { from?: number; to?: number } = {}): ExpectedTimeline {
  const locations: string[] = [];
  const byWorkspaceService: Record<string, Record<string, number>> = {};
  const ipAddresses: Record<string, number> = {};
  let first: number | null = null;
  let last: number | null = null;
  for (const file of files) {
    const workspaceId = /workspaceId=(\d+)/.exec(file)![1]!;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((text, index) => {
        let record: ParsedRecord;
        try {
          record = JSON.parse(text) as ParsedRecord;
        } catch {
          return;
        }
        if (!belongs(record, identity)) return;
        const timestamp = typeof record.timestamp === 'number' ? record.timestamp : null;
        if (window.from !== undefined && (timestamp === null || timestamp < window.from)) return;
        if (window.to !== undefined && (timestamp === null || timestamp > window.to)) return;
        locations.push(`${path.resolve(file)}:${index + 1}`);
        const service = typeof record.serviceName === 'string' ? record.serviceName : '(none)';
        const counts = (byWorkspaceService[workspaceId] ??= {});
        counts[service] = (counts[service] ?? 0) + 1;
        if (typeof record.sourceIPAddress === 'string' && record.sourceIPAddress !== '') ipAddresses[record.sourceIPAddress] = (ipAddresses[record.sourceIPAddress] ?? 0) + 1;
        if (timestamp !== null) {
          first = first === null ? timestamp : Math.min(first, timestamp);
          last = last === null ? timestamp : Math.max(last, timestamp);
        }
      });
  }
  return { locations: locations.sort(), byWorkspaceService, workspaces: Object.keys(byWorkspaceService), first, last, ipAddresses };
}

/** `file:line` of every event of a timeline, sorted, as ExpectedTimeline's locations are. */
export function eventLocations(timeline: Timeline): string[] {
  return timeline.events.map((e) => `${path.resolve(e._file)}:${e._line}`).sort();
}

/** Asserts that a timeline holds exactly the expected events, and sums them up as the files do. */
export function assertTimelineMatches(timeline: Timeline, expected: ExpectedTimeline, message?: string): void {
  assert.deepEqual(eventLocations(timeline), expected.locations, message);
  assert.equal(timeline.summary.events, expected.locations.length);
  assert.deepEqual([...timeline.summary.workspaces].sort(), [...expected.workspaces].sort());
  assert.deepEqual(timeline.summary.byWorkspaceService, expected.byWorkspaceService);
  const services: Record<string, number> = {};
  for (const counts of Object.values(expected.byWorkspaceService)) for (const [s, n] of Object.entries(counts)) services[s] = (services[s] ?? 0) + n;
  assert.deepEqual(timeline.summary.services, services);
  assert.equal(timeline.summary.first, expected.first);
  assert.equal(timeline.summary.last, expected.last);
  assert.deepEqual(Object.fromEntries((timeline.summary.ipAddresses ?? []).map((v) => [v.value, v.events])), expected.ipAddresses);
}
