/** Runs the mocha suite of test/host/suite inside a real VS Code extension host (code-server 4.100.3). */
import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { runHostSuite } from './harness/runHostSuite';

let workspace: string;

before(() => {
  workspace = mkdtempSync(path.join(os.tmpdir(), 'audit-lens-ws-'));
});

after(() => {
  rmSync(workspace, { recursive: true, force: true });
});

test('the host suite passes inside VS Code', { timeout: 240_000 }, async () => {
  const result = await runHostSuite({ folder: workspace });
  const explanation = [
    `exit code ${result.exitCode}`,
    '--- suite report ---', result.report,
    '--- browser console (tail) ---', result.browserLog.split('\n').slice(-40).join('\n'),
    '--- code-server log (tail) ---', result.serverLog.split('\n').slice(-40).join('\n'),
  ].join('\n');
  assert.equal(result.exitCode, 0, explanation);
  assert.match(result.report, /# [1-9]\d* passed, 0 failed/, explanation);
});
