/**
 * The layers (see the README's "Layout"), checked by `npm run check:layers` as part of `npm test`.
 * shared: the pure model (nothing outside itself) · core: the engine (no threads, no vscode, no
 * DOM, nothing above it) · worker: threads and their clients · extension: the VS Code adapter ·
 * cli · protocol: webview wire types (shared only) · webview: shared and protocol only.
 */
const layer = (name) => `^src/${name}/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'shared-is-pure',
      comment: 'src/shared is the model host and webview share: it imports nothing but itself (no node:, vscode, DOM or packages).',
      severity: 'error',
      from: { path: layer('shared') },
      to: { pathNot: layer('shared') },
    },
    {
      name: 'core-stays-below',
      comment: 'The engine is used by worker, extension and CLI; it never imports them, the protocol or the webview.',
      severity: 'error',
      from: { path: layer('core') },
      to: { path: ['^src/(worker|extension|cli|protocol)/', '^webview/'] },
    },
    {
      name: 'core-has-no-threads-or-vscode',
      comment: 'Threads belong to src/worker; vscode to src/extension.',
      severity: 'error',
      from: { path: layer('core') },
      to: { path: ['^(node:)?worker_threads$', '^vscode$'] },
    },
    {
      name: 'webview-sees-shared-and-protocol-only',
      comment: 'The browser side imports only the shared model, the wire protocol, itself and browser packages.',
      severity: 'error',
      from: { path: '^webview/' },
      to: { path: '^src/', pathNot: ['^src/shared/', '^src/protocol/'] },
    },
    {
      name: 'webview-has-no-node',
      severity: 'error',
      from: { path: '^webview/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'protocol-sees-shared-only',
      comment: 'Wire types are explicit: the protocol does not re-export engine types.',
      severity: 'error',
      from: { path: layer('protocol') },
      to: { pathNot: [layer('protocol'), layer('shared')] },
    },
    {
      name: 'worker-below-the-edges',
      severity: 'error',
      from: { path: layer('worker') },
      to: { path: ['^src/(extension|cli|protocol)/', '^webview/'] },
    },
    {
      name: 'cli-without-extension',
      severity: 'error',
      from: { path: layer('cli') },
      to: { path: ['^src/extension/', '^webview/', '^vscode$'] },
    },
    {
      name: 'extension-without-cli-or-webview',
      severity: 'error',
      from: { path: layer('extension') },
      to: { path: ['^src/cli/', '^webview/'] },
    },
    {
      name: 'vscode-only-in-extension',
      severity: 'error',
      from: { path: '^src/', pathNot: layer('extension') },
      to: { path: '^vscode$' },
    },
    {
      name: 'product-without-tests-or-scripts',
      comment: 'Builders, the generator and test threads serve tests and scripts, never the product.',
      severity: 'error',
      from: { path: ['^src/', '^webview/'] },
      to: { path: ['^test/', '^scripts/'] },
    },
    {
      name: 'no-unresolvable',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'], extensions: ['.ts', '.js', '.json', '.d.ts'] },
  },
};
