/**
 * The small delivery tree the host suite reads, from a folder and from the GCS test server, plus one
 * file with known problems. Shared by the node side (writes it) and the suite (knows what to expect).
 */
import { aRecord as baseRecord } from '../support/records';

export const WORKSPACE = '1234567890123456789';
export const GCS_BUCKET = 'audit-bucket';
export const GCS_PREFIX = 'delivery/logs';

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
