import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeScans, MISSING_NAME, scanFile } from '../../../src/core/scan';
import { LocalFolderSource } from '../../../src/core/sources';
import { aRecord, jsonLines, writeTreeToFolder } from '../../support/sources';

async function scanText(text: string) {
  const root = await writeTreeToFolder([{ workspaceId: '1', date: '2024-01-01', internalId: 'x', text }]);
  const source = new LocalFolderSource(root);
  const [file] = await source.listFiles();
  return scanFile(source, file!);
}

describe('scanFile', () => {
  it('counts events and errors per service and action, and the time span', async () => {
    const scan = await scanText(
      jsonLines([
        aRecord({ serviceName: 'clusters', actionName: 'create', timestamp: 5000 }),
        aRecord({ serviceName: 'clusters', actionName: 'create', timestamp: 1000, response: { statusCode: 403, errorMessage: 'no', result: null } }),
        aRecord({ serviceName: 'clusters', actionName: 'delete', timestamp: 3000, response: { statusCode: null, errorMessage: null, result: null } }),
        aRecord({ serviceName: 'accounts', actionName: 'login', timestamp: 9000, response: { statusCode: 500, errorMessage: 'x', result: null } }),
        aRecord({ serviceName: 'accounts', actionName: 'login', timestamp: 2000, response: { statusCode: 399, errorMessage: null, result: null } }),
      ]),
    );
    assert.equal(scan.records, 5);
    assert.equal(scan.rejected, 0);
    assert.deepEqual(JSON.parse(JSON.stringify(scan.services)), {
      clusters: { create: { events: 2, errors: 1 }, delete: { events: 1, errors: 0 } },
      accounts: { login: { events: 2, errors: 1 } },
    });
    assert.equal(scan.firstTimestamp, 1000);
    assert.equal(scan.lastTimestamp, 9000);
  });

  it('counts rejected lines and keeps odd names as plain keys', async () => {
    const text =
      jsonLines([aRecord({ serviceName: '__proto__', actionName: 'constructor' }), { timestamp: 'soon' }]) +
      '{"serviceName": "clusters", \n[1,2]\n\n"text"\n';
    const scan = await scanText(text);
    assert.equal(scan.records, 2);
    assert.equal(scan.rejected, 3);
    assert.equal(scan.services['__proto__']?.['constructor']?.events, 1);
    assert.equal(scan.services[MISSING_NAME]?.[MISSING_NAME]?.events, 1);
    assert.equal(scan.services['toString'], undefined);
    // Only the first record has a numeric timestamp: it is both ends of the span.
    assert.equal(typeof scan.firstTimestamp, 'number');
    assert.equal(scan.firstTimestamp, scan.lastTimestamp);
  });

  it('counts validation findings by severity, rejected lines as errors', async () => {
    const clean = await scanText(jsonLines([aRecord({ workspaceId: '1', timestamp: Date.UTC(2024, 0, 1, 12) })]));
    assert.deepEqual(clean.findings, { error: 0, warning: 0, information: 0 });
    const text =
      jsonLines([
        aRecord({ workspaceId: '1', timestamp: Date.UTC(2024, 0, 1, 12), auditLevel: 'SOMETIMES' }),
        aRecord({ workspaceId: '1', timestamp: Date.UTC(2024, 0, 1, 12), serviceName: 'noSuchService' }),
      ]) + 'not json\n';
    const scan = await scanText(text);
    assert.equal(scan.findings.error, 2, 'the bad auditLevel and the line that is not JSON');
    assert.equal(scan.findings.information, 1, 'the unknown service');
    assert.equal(scan.records, 2);
    assert.equal(scan.rejected, 1);
  });

  it('reports no time span when no record has a timestamp', async () => {
    const scan = await scanText('{"serviceName":"jobs","actionName":"run"}\n');
    assert.equal(scan.firstTimestamp, null);
    assert.equal(scan.lastTimestamp, null);
  });

  it('merges scans', async () => {
    const a = await scanText(jsonLines([aRecord({ actionName: 'create', timestamp: 10 }), aRecord({ actionName: 'delete', timestamp: 50 })]));
    const b = await scanText(jsonLines([aRecord({ actionName: 'create', timestamp: 5, response: { statusCode: 404, errorMessage: null, result: null } })]) + 'oops\n');
    const total = mergeScans([a, b]);
    assert.equal(total.records, 3);
    assert.equal(total.rejected, 1);
    assert.deepEqual(total.services['clusters']?.['create'], { events: 2, errors: 1 });
    assert.equal(total.firstTimestamp, 5);
    assert.equal(total.lastTimestamp, 50);
  });
});
