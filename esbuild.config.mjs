// Bundles every entry point that exists: the extension, the worker, the CLI and the webview.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');

// The thread bundles' names are declared once, for this build and for the clients that start them.
const workers = JSON.parse(readFileSync('src/worker/entries.json', 'utf8'));
const nodeEntries = [
  { in: 'src/extension/extension.ts', out: 'extension', external: ['vscode'] },
  ...Object.values(workers).map((w) => ({ in: w.source, out: w.bundle })),
  { in: 'src/cli/main.ts', out: 'cli', banner: '#!/usr/bin/env node' },
];
const browserEntries = [{ in: 'webview/main.ts', out: 'webview' }];

const common = { bundle: true, sourcemap: !production, minify: production, logLevel: 'warning', legalComments: 'none' };

const builds = [];
for (const e of nodeEntries.filter((e) => existsSync(e.in))) {
  builds.push({
    ...common,
    entryPoints: { [e.out]: e.in },
    outdir: 'dist',
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    external: e.external ?? [],
    banner: e.banner ? { js: e.banner } : undefined,
  });
}
for (const e of browserEntries.filter((e) => existsSync(e.in))) {
  builds.push({ ...common, entryPoints: { [e.out]: e.in }, outdir: 'dist', platform: 'browser', format: 'iife', target: 'chrome120' });
}

mkdirSync('dist', { recursive: true });
copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), 'dist/sql-wasm.wasm');

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
