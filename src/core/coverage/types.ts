/** What `coverage` reports of a scope: per workspace and UTC hour, and what looks wrong. */

export interface HourCount {
  /** Start of the UTC hour, ISO-8601 (`2024-03-01T13:00:00.000Z`). */
  hour: string;
  events: number;
  /** Files holding events of this hour. */
  files: number;
  /** First and last event time in the hour (epoch ms). */
  first: number;
  last: number;
}

export interface Gap {
  /** First silent hour and the end of the last (ISO-8601, UTC). */
  from: string;
  to: string;
  hours: number;
  /** Events in the hour just before, and just after (null when the silence runs to the end of the scope). */
  before: number;
  after: number | null;
}

export interface WorkspaceCoverage {
  workspaceId: string;
  events: number;
  files: number;
  first: number | null;
  last: number | null;
  hours: HourCount[];
  gaps: Gap[];
  /** The workspace went silent before the scope's last hour, after hours that hold events: its delivery may have stopped. */
  stopped: boolean;
}

export interface DuplicateExample {
  requestId: string;
  timestamp: number;
  serviceName: string;
  actionName: string;
  /** `file:line` of every copy, the first one read first. */
  places: string[];
}

/** Events delivered more than once, by the workspace of a copy and the UTC day of the event. */
export interface DuplicateDay {
  workspaceId: string;
  date: string;
  events: number;
}

export interface LateFile {
  file: string;
  workspaceId: string;
  /** When the file was last written (GCS update time, local mtime), epoch ms. */
  written: number;
  /** Its newest event, epoch ms. */
  newestEvent: number;
  /** How long after its newest event the file was written, in minutes. */
  delayMinutes: number;
  events: number;
}

export interface RewrittenFile {
  file: string;
  /** Versions (GCS generation, local mtime-size) before and now. */
  before: { version: string; lines: number; bytes: number };
  after: { version: string; lines: number; bytes: number };
  /** Whether the new content starts with the old, byte for byte: Databricks only appends. */
  appendOnly: boolean;
  linesAdded: number;
  /** Lines the old content had that the new one lacks or changed: never expected. */
  linesRemoved: number;
}

export interface CoverageReport {
  sources: string[];
  /** The rule gaps follow. */
  gapRule: { minNeighbourEvents: number };
  lateAfterMinutes: number;
  workspaces: WorkspaceCoverage[];
  duplicates: { events: number; examples: DuplicateExample[]; days: DuplicateDay[] };
  late: LateFile[];
  /** Why late deliveries could not be judged somewhere (write times that are a copy's). */
  lateNotes: string[];
  rewritten: RewrittenFile[];
  /** Files read, and files that could not be read (with why). */
  files: number;
  unreadable: { file: string; reason: string }[];
  /** Lines that are not records (malformed JSON), counted, not otherwise reported here: `validate` names them. */
  rejectedLines: number;
}
