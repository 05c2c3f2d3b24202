// Which test files a run takes: every test/**/*.test.ts, or the unit loop's share of them.
import { readdirSync, statSync } from 'node:fs';
import { join, sep } from 'node:path';

/**
 * The unit loop leaves out, by path, what needs a browser or code-server, what runs the built CLI
 * or the built threads over generated trees, and the differential suites: each takes from 10 s to
 * minutes. Everything else is a unit test. Each file's time is printed by every run of this
 * runner: re-measure before moving a file into the loop. Figures are in docs/development.md.
 */
export const NOT_UNIT = [
  { pattern: /^test\/host\//, why: 'the extension host, in code-server and Chromium' },
  { pattern: /^test\/webview\/[^/]+\.test\.ts$/, why: 'the notebook page, in Chromium' },
  { pattern: /^test\/(cli|e2e-cli)\//, why: 'runs of the built CLI' },
  { pattern: /-cli\.test\.ts$/, why: 'runs of the built CLI' },
  { pattern: /^test\/worker\/[^/]+\/(client|runTimeline)\.test\.ts$/, why: 'the built threads over generated trees' },
  { pattern: /differential|notebookSession/, why: 'hundreds of loads or exports of generated trees' },
];

export function findTestFiles(dir = 'test') {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (name === 'fixtures' || name === 'node_modules') continue;
    if (statSync(full).isDirectory()) out.push(...findTestFiles(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out.sort();
}

export const isUnit = (file) => !NOT_UNIT.some(({ pattern }) => pattern.test(file.split(sep).join('/')));
