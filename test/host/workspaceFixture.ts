/** Writes the host fixture: a workspace folder with a delivery tree and a bad file, and the same tree on the GCS test server. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startGcsServer, type GcsTestServer } from '../gcs-server';
import { badFileLines, deliveryTree, EXPANSION_GCS_PREFIX, GCS_BUCKET, GCS_PREFIX, HOSTILE_FOLDER_NAME, HOSTILE_GCS_PREFIX, hostileTree, WORKSPACE, type HostFixture } from './fixtures';

export interface PreparedFixture {
  workspace: string;
  fixture: HostFixture;
  gcs: GcsTestServer;
  dispose(): Promise<void>;
}

function write(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
}

export async function prepareFixture(): Promise<PreparedFixture> {
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'audit-lens-ws-'));
  const folderSource = path.join(workspace, 'logs');
  const gcs = await startGcsServer();
  gcs.createBucket(GCS_BUCKET);
  for (const f of deliveryTree()) {
    write(path.join(folderSource, f.relativePath), f.text);
    gcs.put(GCS_BUCKET, `${GCS_PREFIX}/${f.relativePath}`, f.text);
    gcs.put(GCS_BUCKET, `${EXPANSION_GCS_PREFIX}/${f.relativePath}`, f.text);
  }
  const hostileFolderSource = path.join(workspace, HOSTILE_FOLDER_NAME);
  for (const f of hostileTree()) {
    write(path.join(hostileFolderSource, f.relativePath), f.text);
    gcs.put(GCS_BUCKET, `${HOSTILE_GCS_PREFIX}/${f.relativePath}`, f.text);
  }
  const badFile = path.join(workspace, 'checks', `workspaceId=${WORKSPACE}`, 'date=2024-05-01', 'auditlogs_bad.json');
  write(badFile, badFileLines().join('\n') + '\n');
  const jsonLinesFile = path.join(workspace, 'exports', 'events.jsonl');
  write(jsonLinesFile, badFileLines()[0] + '\n');
  return {
    workspace,
    gcs,
    fixture: {
      folderSource,
      gcsSource: `gs://${GCS_BUCKET}/${GCS_PREFIX}`,
      gcsEndpoint: gcs.endpoint,
      badFile,
      jsonLinesFile,
      hostileFolderSource,
      hostileGcsSource: `gs://${GCS_BUCKET}/${HOSTILE_GCS_PREFIX}`,
      expansionGcsSource: `gs://${GCS_BUCKET}/${EXPANSION_GCS_PREFIX}`,
    },
    dispose: async () => {
      await gcs.stop();
      rmSync(workspace, { recursive: true, force: true });
    },
  };
}
