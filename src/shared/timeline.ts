/**
 * One identity's timeline: every event of an actor, an IP address, a session or a request across
 * every workspace and the account level, in time order. The CLI prints it (`--format json` is this
 * shape as it is) and the editor's Timeline view draws it.
 */

export type IdentityKind = 'actor' | 'ip' | 'session' | 'request';

export const IDENTITY_KINDS: readonly IdentityKind[] = ['actor', 'ip', 'session', 'request'];

export interface Identity {
  kind: IdentityKind;
  value: string;
}

export interface TimelineEvent {
  /** Epoch milliseconds, as in the logs (null when the record has none). */
  timestamp: number | null;
  workspaceId: string;
  serviceName: string | null;
  actionName: string | null;
  requestId: string | null;
  sourceIPAddress: string | null;
  userAgent: string | null;
  statusCode: number | null;
  /** Where the record was read: the file's URI and its 1-based line. */
  _file: string;
  _line: number;
  /** The actor's email (or `requestParams.user` when the email is null), for IP/session/request timelines. */
  actor?: string | null;
  sessionId?: string | null;
  errorMessage?: string | null;
}

export interface TimelineSummary {
  events: number;
  /** Workspace ids seen, `0` for the account level, sorted. */
  workspaces: string[];
  /** serviceName → events. */
  services: Record<string, number>;
  /** `workspaceId` → serviceName → events. */
  byWorkspaceService?: Record<string, Record<string, number>>;
  first: number | null;
  last: number | null;
  /** Distinct values seen, with their event counts, most used first. */
  ipAddresses?: { value: string; events: number }[];
  userAgents?: { value: string; events: number }[];
}

export interface Timeline {
  identity: Identity;
  events: TimelineEvent[];
  summary: TimelineSummary;
}
