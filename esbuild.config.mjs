// Bundles every entry point that exists: the extension, the worker, the CLI and the webview.
import * as esbuild from 'esbuild';
import { existsSync, mkdirSync, copyFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
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
const browserEntries = [
  { in: 'webview/main.ts', out: 'webview' },
  { in: 'webview/timeline/main.ts', out: 'timeline' },
  { in: 'webview/coverage/main.ts', out: 'coverage' },
];

// Development builds keep names (and source maps) but drop whitespace, so they load like the shipped ones.
const common = { bundle: true, sourcemap: !production, minify: production, minifyWhitespace: true, logLevel: 'warning', legalComments: 'none' };

// Packages loaded on first use, each into a bundle of its own: the other bundles require that
// sibling file at run time instead of carrying the package (activation stays small).
const lazyPackages = [{ name: '@google-cloud/storage', out: 'storage' }];
const requireLazyPackagesAsSiblings = {
  name: 'lazy-packages',
  setup(build) {
    for (const p of lazyPackages) {
      const escaped = (text) => text.replace(/[/.]/g, '\\$&');
      // The package becomes a one-line module that requires the sibling bundle; esbuild runs it
      // (and so the require) only when the code's `await import(...)` of the package runs.
      build.onResolve({ filter: new RegExp(`^${escaped(p.name)}$`) }, () => ({ path: p.name, namespace: 'lazy-package' }));
      build.onLoad({ filter: new RegExp(`^${escaped(p.name)}$`), namespace: 'lazy-package' }, () => ({ contents: `module.exports = require("./${p.out}.js");`, loader: 'js' }));
      build.onResolve({ filter: new RegExp(`^\\./${escaped(p.out)}\\.js$`), namespace: 'lazy-package' }, (args) => ({ path: args.path, external: true }));
    }
  },
};

const nodeBuild = { ...common, outdir: 'dist', platform: 'node', format: 'cjs', target: 'node20' };
const builds = [];
for (const e of nodeEntries.filter((e) => existsSync(e.in))) {
  builds.push({
    ...nodeBuild,
    entryPoints: { [e.out]: e.in },
    external: e.external ?? [],
    banner: e.banner ? { js: e.banner } : undefined,
    plugins: [requireLazyPackagesAsSiblings],
  });
}
for (const p of lazyPackages) {
  builds.push({ ...nodeBuild, stdin: { contents: `module.exports = require(${JSON.stringify(p.name)});`, resolveDir: '.', sourcefile: `${p.out}.js` }, outdir: undefined, outfile: `dist/${p.out}.js` });
}
for (const e of browserEntries.filter((e) => existsSync(e.in))) {
  builds.push({ ...common, entryPoints: { [e.out]: e.in }, outdir: 'dist', platform: 'browser', format: 'iife', target: 'chrome120' });
}

mkdirSync('dist', { recursive: true });
copyFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'), 'dist/sql-wasm.wasm');
// The built-in detections ship as their YAML files, read next to the bundles at run time. Copied
// over the previous ones (never an empty folder while a running test reads it), stale ones removed.
const builtinDetections = readdirSync('detections/builtin').filter((n) => n.endsWith('.yaml'));
mkdirSync('dist/detections', { recursive: true });
for (const name of builtinDetections) copyFileSync(`detections/builtin/${name}`, `dist/detections/${name}`);
for (const name of readdirSync('dist/detections').filter((n) => !builtinDetections.includes(n))) rmSync(`dist/detections/${name}`, { force: true });

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build(b)));
}
