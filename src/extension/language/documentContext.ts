/** What a position in an audit-log line points at: a record field, a requestParams key, a value. Pure: no vscode. */
import type { AuditLevel } from '../../core/catalog';
import { parseObjectPath } from '../../core/layout';
import { scanJson, type FileContext, type ScannedMember } from '../../core/validate';

export interface RecordNames {
  service?: string;
  action?: string;
  level?: AuditLevel;
}

export interface PositionTarget {
  member: ScannedMember;
  /** True when the position is on the key, false when on the value. */
  onKey: boolean;
  record: RecordNames;
  /** The member's value decoded (strings unquoted), when it is a scalar. */
  value: unknown;
}

function decodeScalar(text: string, member: ScannedMember): unknown {
  if (member.kind === 'object' || member.kind === 'array') return undefined;
  try {
    return JSON.parse(text.slice(member.valueStart, member.valueEnd)) as unknown;
  } catch {
    return undefined;
  }
}

function namesOf(text: string, members: readonly ScannedMember[]): RecordNames {
  const names: RecordNames = {};
  for (const m of members) {
    if (m.path.length !== 1 || m.kind !== 'string') continue;
    const value = decodeScalar(text, m);
    if (typeof value !== 'string') continue;
    if (m.path[0] === 'serviceName') names.service = value;
    else if (m.path[0] === 'actionName') names.action = value;
    else if (m.path[0] === 'auditLevel' && (value === 'WORKSPACE_LEVEL' || value === 'ACCOUNT_LEVEL')) names.level = value;
  }
  return names;
}

/** The deepest tracked member whose key or value spans `character` (0-based UTF-16 offset). */
export function targetAt(lineText: string, character: number): PositionTarget | undefined {
  const scan = scanJson(lineText);
  let best: { member: ScannedMember; onKey: boolean } | undefined;
  for (const m of scan.members) {
    const onKey = character >= m.keyStart && character < m.keyEnd;
    const onValue = character >= m.valueStart && character < m.valueEnd;
    if (!onKey && !onValue) continue;
    if (!best || m.path.length > best.member.path.length) best = { member: m, onKey };
  }
  if (!best) return undefined;
  return { ...best, record: namesOf(lineText, scan.members), value: decodeScalar(lineText, best.member) };
}

/** Workspace and date the file's folders promise, when its path follows the delivery layout. */
export function fileContextOf(fileLabel: string, path: string): FileContext {
  const parsed = parseObjectPath(path);
  if (!parsed.ok) return { file: fileLabel };
  return { file: fileLabel, expectedWorkspaceId: parsed.value.workspaceId, expectedDate: parsed.value.date };
}

/** Epoch milliseconds plausibly meant as a timestamp (years 2000–2100). */
export function isPlausibleEpochMs(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 946_684_800_000 && value < 4_102_444_800_000;
}
