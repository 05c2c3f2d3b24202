/**
 * The SQL that selects one identity's events from `audit_logs`: one simple statement per way a
 * record can name the identity, in the form the query pushdown reads (`SELECT … FROM audit_logs
 * WHERE <field> = '<value>' AND …`), so the union of their filters is the load's prefilter.
 */
import type { Identity } from '../../shared/timeline';
import { sparkStringLiteral } from '../../shared/sql/literal';
import type { TimelineWindow } from './window';

/** The columns every statement selects, each with the field it reads; assembly reads rows by these names. */
const SELECTED_FIELDS = {
  timestamp: 'timestamp',
  workspaceId: 'workspaceId',
  serviceName: 'serviceName',
  actionName: 'actionName',
  requestId: 'requestId',
  sourceIPAddress: 'sourceIPAddress',
  userAgent: 'userAgent',
  sessionId: 'sessionId',
  statusCode: 'response.statusCode',
  errorMessage: 'response.errorMessage',
  email: 'userIdentity.email',
  attemptedUser: 'requestParams.user',
  _file: '_file',
  _line: '_line',
} as const;

export type TimelineColumn = keyof typeof SELECTED_FIELDS;

export const TIMELINE_COLUMNS = Object.keys(SELECTED_FIELDS) as TimelineColumn[];

const SELECT_LIST = TIMELINE_COLUMNS.map((column) => (SELECTED_FIELDS[column] === column ? column : `${SELECTED_FIELDS[column]} AS ${column}`)).join(', ');

/**
 * The conditions, one list per alternative, under which a record belongs to the identity. An actor
 * is the signed-in email, or — when the email is null, as in a failed login — the user the request
 * names. An IP address is `sourceIPAddress` exactly, or the address with a port as logged
 * (`10.0.0.1:52344`, `[2001:db8::1]:443`): two statements, which no row satisfies both.
 */
function identityConditions(identity: Identity): string[][] {
  const value = sparkStringLiteral(identity.value);
  switch (identity.kind) {
    case 'actor':
      return [[`userIdentity.email = ${value}`], [`requestParams.user = ${value}`, 'userIdentity.email IS NULL']];
    case 'ip':
      return [[`sourceIPAddress = ${value}`], ...withPort(identity.value).map((pattern) => [`sourceIPAddress LIKE ${sparkStringLiteral(pattern)}`])];
    case 'session':
      return [[`sessionId = ${value}`]];
    case 'request':
      return [[`requestId = ${value}`]];
  }
}

/**
 * The LIKE pattern of the address followed by a port, its own `%`, `_` and `\` escaped: `a.b.c.d:%`,
 * or `[v6]:%` for an IPv6 address (two colons or more). None for an address given with its port
 * (`a.b.c.d:p`, `[v6]:p`): that text alone names it.
 */
function withPort(address: string): string[] {
  const colons = address.split(':').length - 1;
  if (address.startsWith('[') || colons === 1) return [];
  const host = colons === 0 ? address : `[${address}]`;
  return [`${host.replace(/[\\%_]/g, '\\$&')}:%`];
}

function windowConditions(window: TimelineWindow): string[] {
  return [
    ...(window.from === undefined ? [] : [`timestamp >= ${Math.floor(window.from)}`]),
    ...(window.to === undefined ? [] : [`timestamp <= ${Math.floor(window.to)}`]),
  ];
}

/** The statements whose rows, together, are the identity's events in the window (no row is in two). */
export function timelineStatements(identity: Identity, window: TimelineWindow = {}): string[] {
  return identityConditions(identity).map(
    (conditions) => `SELECT ${SELECT_LIST} FROM audit_logs WHERE ${[...conditions, ...windowConditions(window)].join(' AND ')}`,
  );
}
