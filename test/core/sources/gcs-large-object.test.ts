import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { scanFile } from '../../../src/core/scan';
import type { AuditFile, AuditSource } from '../../../src/core/sources';
import { openGcsSource } from '../../../src/core/sources/gcs';
import { repeatedLineContent, startGcsServer, type GcsTestServer } from '../../gcs-server';
import { aRecord } from '../../support/sources';

const NAME = 'logs/workspaceId=77/date=2024-07-01/auditlogs_big.json';
const LINE = JSON.stringify(aRecord({ workspaceId: '77', serviceName: 'notebook', actionName: 'runCommand' }));
const LINES = Math.ceil((50 * 1024 * 1024) / (LINE.length + 1));

describe('a 50 MB object', () => {
  let server: GcsTestServer;
  let source: AuditSource;
  let file: AuditFile;

  before(async () => {
    server = await startGcsServer();
    server.createBucket('large');
    server.put('large', NAME, repeatedLineContent(LINE, LINES));
    source = await openGcsSource('gs://large/logs', { endpoint: server.endpoint, retry: { autoRetry: false } });
    [file] = (await source.listFiles()) as [AuditFile];
  });
  after(() => server.stop());

  it('streams: the first bytes arrive long before the server has sent the whole object', async () => {
    assert.ok(file.size >= 50 * 1024 * 1024);
    server.resetLog();
    let received = 0;
    let chunks = 0;
    let largestChunk = 0;
    let sentWhenFirstArrived = -1;
    for await (const chunk of source.openRead(file)) {
      if (chunks === 0) sentWhenFirstArrived = server.downloads[0]!.bytesSent;
      chunks++;
      received += chunk.length;
      largestChunk = Math.max(largestChunk, chunk.length);
    }
    assert.equal(received, file.size);
    assert.ok(sentWhenFirstArrived > 0 && sentWhenFirstArrived < file.size / 4, `server had sent ${sentWhenFirstArrived} bytes`);
    assert.ok(chunks > 50);
    assert.ok(largestChunk <= 4 * 1024 * 1024);
  });

  it('scans every record of it', async () => {
    const scan = await scanFile(source, file);
    assert.equal(scan.records, LINES);
    assert.equal(scan.rejected, 0);
    assert.deepEqual(scan.services['notebook']?.['runCommand'], { events: LINES, errors: 0 });
  });

  it('is read whole at the listed generation even when rewritten mid-read', async () => {
    const replacement = JSON.stringify(aRecord({ serviceName: 'accounts', actionName: 'login' }));
    let overwritten = false;
    let lines = 0;
    let tail = '';
    for await (const chunk of source.openRead(file)) {
      if (!overwritten) {
        server.put('large', NAME, repeatedLineContent(replacement, 10));
        overwritten = true;
      }
      const text = tail + Buffer.from(chunk).toString('utf8');
      const parts = text.split('\n');
      tail = parts.pop() ?? '';
      for (const line of parts) {
        assert.equal(line, LINE);
        lines++;
      }
    }
    assert.equal(tail, '');
    assert.equal(lines, LINES);
    await assert.rejects(
      scanFile(source, file),
      (e: { code?: string; userMessage?: string }) => e.code === 'not-found' && /changed while reading/.test(e.userMessage ?? ''),
    );
  });
});
