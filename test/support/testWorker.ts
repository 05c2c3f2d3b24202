/** Bundles a test-only thread entry (as the build bundles the product's) into a temporary folder. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as esbuild from 'esbuild';

export interface TestWorker {
  path: string;
  remove(): Promise<void>;
}

export async function bundleTestWorker(entry: string): Promise<TestWorker> {
  const folder = await mkdtemp(path.join(tmpdir(), 'audit-lens-test-worker-'));
  const outfile = path.join(folder, `${path.basename(entry, '.ts')}.js`);
  await esbuild.build({ entryPoints: [entry], outfile, bundle: true, platform: 'node', format: 'cjs', target: 'node20', logLevel: 'warning' });
  return { path: outfile, remove: () => rm(folder, { recursive: true, force: true }) };
}
