/**
 * Runs the host suite under @vscode/test-electron (downloads VS Code 1.100.x; needs the internet).
 * The same suite runs on this machine through code-server (test/host/host.test.ts).
 */
import { mkdtempSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runTests } from '@vscode/test-electron';
import { bundleSuite, repoRoot } from './harness/bundleSuite';

async function main(): Promise<void> {
  const extensionTestsPath = await bundleSuite();
  const workspace = mkdtempSync(path.join(os.tmpdir(), 'audit-lens-ws-'));
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
