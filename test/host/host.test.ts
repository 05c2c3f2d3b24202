/** Runs the mocha suite of test/host/suite inside a real VS Code extension host (code-server 4.100.3). */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, test } from 'node:test';
import { FIXTURE_ENV, UNTRUSTED_WORKSPACE_SETTINGS } from './fixtures';
import { repoRoot } from './harness/bundleSuite';
import { runHostSuite } from './harness/runHostSuite';
import { prepareFixture, type PreparedFixture } from './workspaceFixture';

let prepared: PreparedFixture;

before(async () => {
  prepared = await prepareFixture();
});

after(async () => {
  await prepared.dispose();
});

async function runAndCheck(vsix?: string, untrustedFolder?: string): Promise<void> {
  const { fixture, workspace } = prepared;
  const result = await runHostSuite({
    folder: untrustedFolder ?? workspace,
    untrusted: untrustedFolder !== undefined,
    vsix,
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
}

test('the host suite passes inside VS Code, from the development folder', { timeout: 240_000 }, async () => {
  await runAndCheck();
});

test('the host suite passes against the packaged .vsix installed into VS Code', { timeout: 240_000 }, async () => {
  const vsix = process.env.AUDIT_LENS_HOST_VSIX ?? packageVsix();
  try {
    await runAndCheck(vsix);
  } finally {
    if (!process.env.AUDIT_LENS_HOST_VSIX) rmSync(path.dirname(vsix), { recursive: true, force: true });
  }
});

/** Packages the current build (dist/) with vsce into a temp folder. */
function packageVsix(): string {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'audit-lens-vsix-')), 'audit-lens.vsix');
  const vsce = path.join(repoRoot, 'node_modules', '.bin', 'vsce');
  const flags = ['package', '--no-dependencies', '--allow-missing-repository', '--skip-license', '--no-rewrite-relative-links', '--out', out];
  const result = spawnSync(vsce, flags, { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  assert.equal(result.status, 0, `vsce package failed:\n${result.stdout}\n${result.stderr}`);
  return out;
}

test('in an untrusted folder, its own sources and GCS endpoint are ignored and the user’s apply', { timeout: 240_000 }, async () => {
  const folder = mkdtempSync(path.join(os.tmpdir(), 'audit-lens-untrusted-'));
  try {
    mkdirSync(path.join(folder, '.vscode'));
    writeFileSync(path.join(folder, '.vscode', 'settings.json'), JSON.stringify(UNTRUSTED_WORKSPACE_SETTINGS, null, 2));
    await runAndCheck(undefined, folder);
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
});
