/**
 * The small delivery tree the host suite reads, from a folder and from the GCS test server, plus one
 * file with known problems. Shared by the node side (writes it) and the suite (knows what to expect).
 */
import { aRecord as baseRecord } from '../support/records';
import { HOSTILE_NAMES, HOSTILE_SERVICE } from '../support/hostileText';

export const WORKSPACE = '1234567890123456789';
export const GCS_BUCKET = 'audit-bucket';
export const GCS_PREFIX = 'delivery/logs';
export const EXPANSION_GCS_PREFIX = 'expansion/logs';

export interface FixtureFile {
  /** Below the source root: workspaceId=<id>/date=<d>/auditlogs_<id>.json */
  relativePath: string;
  text: string;
}

/** Handed from the node side to the suite through the environment. */
export interface HostFixture {
  folderSource: string;
  gcsSource: string;
  gcsEndpoint: string;
  badFile: string;
  jsonLinesFile: string;
  /** A folder and a GCS prefix whose names, file names and service names are hostile (hostileTree()). */
  hostileFolderSource: string;
  hostileGcsSource: string;
  /** The delivery tree again under another GCS prefix, for a test that needs a tree no other test listed. */
  expansionGcsSource: string;
}

export const FIXTURE_ENV = 'AUDIT_LENS_HOST_FIXTURE';

let sequence = 0;

/** A record of the fixture's workspace, a second apart from the one before. */
export function aRecord(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  sequence++;
  return baseRecord({
    timestamp: Date.UTC(2024, 4, 1, 8, 0, sequence),
    requestId: `req-${sequence}`,
    workspaceId: WORKSPACE,
    actionName: 'create',
    userAgent: 'host-test',
    userIdentity: { email: 'analyst@example.com' },
    requestParams: { cluster_name: 'etl', spark_version: '13.3.x-scala2.12' },
    ...overrides,
  });
}

const failed = { statusCode: 403, errorMessage: 'denied', result: null };

function file(workspaceId: string, date: string, id: string, records: Record<string, unknown>[]): FixtureFile {
  const dated = records.map((r) => ({ ...r, timestamp: Date.parse(`${date}T08:00:00Z`), workspaceId }));
  return { relativePath: `workspaceId=${workspaceId}/date=${date}/auditlogs_${id}.json`, text: dated.map((r) => JSON.stringify(r)).join('\n') + '\n' };
}

/** Account level (0) on one date; a workspace on two dates; one date split over two files. */
export function deliveryTree(): FixtureFile[] {
  const login = { serviceName: 'accounts', actionName: 'login', auditLevel: 'ACCOUNT_LEVEL', requestParams: { user: 'analyst@example.com' } };
  return [
    file('0', '2024-05-01', 'acct-1', [aRecord(login), aRecord({ ...login, response: { statusCode: 401, errorMessage: 'bad password', result: null } })]),
    file(WORKSPACE, '2024-05-01', 'ws-1', [aRecord(), aRecord({ response: failed })]),
    file(WORKSPACE, '2024-05-01', 'ws-2', [aRecord({ actionName: 'delete', requestParams: { cluster_id: 'c-1' } })]),
    file(WORKSPACE, '2024-05-02', 'ws-3', [aRecord({ serviceName: 'notebook', actionName: 'runCommand', requestParams: { notebookId: '7', commandText: 'SELECT 1' } })]),
  ];
}

/** Line 1: a key with the wrong casing; line 2: an ISO date as timestamp; line 3: broken JSON. */
export function badFileLines(): string[] {
  const casing = JSON.stringify(aRecord({ requestParams: { Cluster_Name: 'etl', spark_version: '13.3.x-scala2.12' } }));
  const iso = JSON.stringify(aRecord({ timestamp: '2024-05-01T08:00:00Z' }));
  return [casing, iso, '{"serviceName": "clusters", "actionName": '];
}

/** What the untrusted folder's own .vscode/settings.json chooses (and the extension must ignore). */
export const UNTRUSTED_WORKSPACE_SETTINGS = {
  'auditLens.sources': ['gs://workspace-chosen-bucket/logs'],
  'auditLens.gcsEndpoint': 'http://127.0.0.1:9/workspace-chosen-endpoint',
  /** Not restricted: proves the folder's settings are read at all. */
  'auditLens.rowBudget': 123_000,
};

export const HOSTILE_WORKSPACE = '42';
export const HOSTILE_DATE = '2024-06-01';
/** The last path segment of the hostile folder source, and the hostile GCS prefix. */
export const HOSTILE_FOLDER_NAME = 'hostile-[s](command:workbench.action.terminal.new)-$(squirrel)-\u202Eevil';
export const HOSTILE_GCS_PREFIX = 'hostile-$(squirrel)-\u202Eevil';
/** The file of the hostile date with a line that is not an audit record. */
export const HOSTILE_BAD_LINE_FILE = `auditlogs_${HOSTILE_NAMES[0]}.json`;

/** One date of one workspace: a file per hostile name, one with a hostile service, one with a bad line. */
export function hostileTree(): FixtureFile[] {
  return HOSTILE_NAMES.map((name, i) => {
    const records = [aRecord({ serviceName: i === 1 ? HOSTILE_SERVICE : 'clusters', actionName: i === 1 ? `${HOSTILE_NAMES[4]}` : 'create' })];
    const dated = records.map((r) => JSON.stringify({ ...r, timestamp: Date.parse(`${HOSTILE_DATE}T08:00:00Z`), workspaceId: HOSTILE_WORKSPACE }));
    if (`auditlogs_${name}.json` === HOSTILE_BAD_LINE_FILE) dated.push(`not a record: ${name}`);
    return { relativePath: `workspaceId=${HOSTILE_WORKSPACE}/date=${HOSTILE_DATE}/auditlogs_${name}.json`, text: dated.join('\n') + '\n' };
  });
}
