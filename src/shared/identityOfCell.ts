/**
 * Which identity a result cell holds, if any: an email, an IP address, a session id or a request
 * id, told by its column's name (`userIdentity.email`, `source_ip_address`, `sessionId`, …) or,
 * for emails and IP addresses, by the value's shape. What "Show Timeline" offers on a grid cell.
 */
import type { Identity, IdentityKind } from './timeline';

const MAX_VALUE_LENGTH = 1000;

/** Column names (lower case, without a table or struct prefix) and the identity they hold. */
const COLUMN_KINDS: Record<string, IdentityKind> = {
  email: 'actor',
  user: 'actor',
  actor: 'actor',
  user_email: 'actor',
  sourceipaddress: 'ip',
  source_ip_address: 'ip',
  ip: 'ip',
  ipaddress: 'ip',
  ip_address: 'ip',
  sessionid: 'session',
  session_id: 'session',
  requestid: 'request',
  request_id: 'request',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})(:\d{1,5})?$/;
const IPV6 = /^\[?[0-9a-f]*:[0-9a-f:.]*\]?(:\d{1,5})?$/i;
/** Addresses the logs use for "no address": a timeline of them would be every unattributed event. */
const PLACEHOLDER_IPS = new Set(['0.0.0.0', '127.0.0.1', '::1', '::']);

function looksLikeEmail(value: string): boolean {
  return EMAIL.test(value);
}

export function looksLikeIp(value: string): boolean {
  const v4 = IPV4.exec(value);
  if (v4) return v4.slice(1, 5).every((octet) => Number(octet) <= 255);
  return IPV6.test(value) && (value.match(/:/g)?.length ?? 0) >= 2;
}

function columnKind(column: string): IdentityKind | undefined {
  const last = column.toLowerCase().split('.').pop() ?? '';
  return Object.prototype.hasOwnProperty.call(COLUMN_KINDS, last) ? COLUMN_KINDS[last] : undefined;
}

/**
 * The address without the port the logs may add (`10.0.0.1:52344` → `10.0.0.1`, `[2001:db8::1]:443`
 * → `2001:db8::1`): an address's timeline finds its port forms too.
 */
export function ipWithoutPort(value: string): string {
  const bracketed = /^\[([0-9a-f:.]+)\](?::\d{1,5})?$/i.exec(value);
  if (bracketed) return bracketed[1]!;
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(value);
  return v4 ? v4[1]! : value;
}

/** The identity a cell holds, or undefined (nulls, numbers, JSON, blank or placeholder values). */
export function identityOfCell(column: string, value: unknown): Identity | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '' || text.length > MAX_VALUE_LENGTH || text.startsWith('{')) return undefined;
  const byColumn = columnKind(column);
  const kind = byColumn ?? (looksLikeEmail(text) ? 'actor' : looksLikeIp(text) ? 'ip' : undefined);
  if (kind === undefined) return undefined;
  if (kind !== 'ip') return text.startsWith('[') ? undefined : { kind, value: text };
  if (!looksLikeIp(text)) return undefined;
  const address = ipWithoutPort(text);
  return PLACEHOLDER_IPS.has(address) ? undefined : { kind, value: address };
}

const KIND_LABELS: Record<IdentityKind, string> = { actor: 'actor', ip: 'IP address', session: 'session', request: 'request' };

/** How an identity's kind reads in menus and titles. */
export function identityKindLabel(kind: IdentityKind): string {
  return KIND_LABELS[kind];
}
