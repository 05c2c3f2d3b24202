// Measures what activation costs the extension host: the bundle's size, the time to require it,
// and the time activate() takes to return. Each run is a fresh process; VS Code's API is a stub
// that answers every call at once (paths are a temporary folder's), so the figures are the
// extension's own cost, not VS Code's.
// Usage: node scripts/measure-activation.mjs [runs] [bundle] (after `npm run package` for the
// shipped, minified bundle; the bundle defaults to dist/extension.js).
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const bundle = resolve(process.argv[3] ?? join(here, '..', 'dist', 'extension.js'));

if (process.argv[2] === '--child') {
  const Module = (await import('node:module')).default;
  const { readFileSync } = await import('node:fs');
  const require = Module.createRequire(import.meta.url);
  const { performance } = await import('node:perf_hooks');
  // Every property is another stub; calling or constructing one returns a stub too.
  const stub = () =>
    new Proxy(function () {}, {
      get: (_target, key) =>
        key === Symbol.toPrimitive ? () => 0 : key === 'then' ? undefined : key === 'fsPath' || key === 'path' ? '/tmp/audit-lens-measure' : stub(),
      set: () => true,
      apply: () => stub(),
      construct: () => stub(),
    });
  // The real API's top-level names (from its type declarations), each a stub.
  const declarations = readFileSync(require.resolve('@types/vscode/index.d.ts'), 'utf8');
  const vscode = Object.fromEntries([...declarations.matchAll(/^\t(?:export )?(?:namespace|class|enum|const|function|let) (\w+)/gm)].map(([, name]) => [name, stub()]));
  const resolve = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    return request === 'vscode' ? 'vscode' : resolve.call(this, request, ...rest);
  };
  Module._cache.vscode = { id: 'vscode', filename: 'vscode', loaded: true, exports: vscode };
  const t0 = performance.now();
  const extension = require(bundle);
  const t1 = performance.now();
  const context = { subscriptions: [], globalStorageUri: { fsPath: '/tmp/audit-lens-measure' }, extensionUri: { fsPath: join(bundle, '..', '..') }, globalState: stub(), workspaceState: stub() };
  extension.activate(context);
  const t2 = performance.now();
  process.stdout.write(JSON.stringify({ requireMs: t1 - t0, activateMs: t2 - t1 }));
  process.exit(0);
}

const runs = Number(process.argv[2] ?? 9);
const samples = [];
for (let i = 0; i < runs; i++) {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', bundle], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(child.stderr);
  samples.push(JSON.parse(child.stdout));
}
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
console.log(`${relative(process.cwd(), bundle)} ${(statSync(bundle).size / 1024).toFixed(0)} KB`);
// The fastest run is the least disturbed by other work on the machine; the median shows the spread.
const report = (name, values) => console.log(`${name}: fastest ${Math.min(...values).toFixed(1)} ms, median ${median(values).toFixed(1)} ms (${runs} runs)`);
report('require', samples.map((s) => s.requireMs));
report('activate()', samples.map((s) => s.activateMs));
