/** Bundles the mocha suite that runs inside VS Code (test/host/suite) into out/host/. */
import { cpSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

export const repoRoot = path.resolve(__dirname, '..', '..', '..');
export const suiteOutDir = path.join(repoRoot, 'out', 'host');

export async function bundleSuite(): Promise<string> {
  const suiteDir = path.join(repoRoot, 'test', 'host', 'suite');
  const entries = readdirSync(suiteDir)
    .filter((name) => name === 'index.ts' || name.endsWith('.host.ts') || name.endsWith('.untrusted.ts'))
    .map((name) => path.join(suiteDir, name));
  await esbuild.build({
    entryPoints: entries,
    outdir: suiteOutDir,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  // The suite reads the built-in detections as the bundles do: from a detections folder beside it.
  cpSync(path.join(repoRoot, 'detections', 'builtin'), path.join(suiteOutDir, 'detections'), { recursive: true });
  return path.join(suiteOutDir, 'index.js');
}
