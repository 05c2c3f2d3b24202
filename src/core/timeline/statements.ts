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
 * names. An IP address matches `sourceIPAddress` exactly: a value delivered with a port
 * (`10.0.0.1:5432`) is found by asking for that exact text.
 */
function identityConditions(identity: Identity): string[][] {
  const value = sparkStringLiteral(identity.value);
  switch (identity.kind) {
    case 'actor':
      return [[`userIdentity.email = ${value}`], [`requestParams.user = ${value}`, 'userIdentity.email IS NULL']];
    case 'ip':
      return [[`sourceIPAddress = ${value}`]];
    case 'session':
      return [[`sessionId = ${value}`]];
    case 'request':
      return [[`requestId = ${value}`]];
  }
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
