/** Runs the mocha suite of test/host/suite inside a real VS Code extension host (code-server 4.100.3). */
import * as assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { FIXTURE_ENV } from './fixtures';
import { runHostSuite } from './harness/runHostSuite';
import { prepareFixture, type PreparedFixture } from './workspaceFixture';

let prepared: PreparedFixture;

before(async () => {
  prepared = await prepareFixture();
});

after(async () => {
  await prepared.dispose();
});

test('the host suite passes inside VS Code', { timeout: 240_000 }, async () => {
  const { fixture, workspace } = prepared;
  const result = await runHostSuite({
    folder: workspace,
    vsix: process.env.AUDIT_LENS_HOST_VSIX,
    env: { [FIXTURE_ENV]: JSON.stringify(fixture) },
    userSettings: { 'auditLens.sources': [fixture.folderSource, fixture.gcsSource], 'auditLens.gcsEndpoint': fixture.gcsEndpoint },
  });
  const explanation = [
    `exit code ${result.exitCode}`,
    '--- suite report ---', result.report,
    '--- browser console (tail) ---', result.browserLog.split('\n').slice(-30).join('\n'),
    '--- code-server log (tail) ---', result.serverLog.split('\n').slice(-30).join('\n'),
  ].join('\n');
  assert.equal(result.exitCode, 0, explanation);
  assert.match(result.report, /# [1-9]\d* passed, 0 failed/, explanation);
  if (process.env.AUDIT_LENS_HOST_VERBOSE) console.log(result.report);
});
