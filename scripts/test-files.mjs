// Which test files a run takes: every test/**/*.test.ts, or the unit loop's share of them.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The unit loop leaves out what needs a browser or code-server, what generates a large tree and
 * what runs the built CLI many times: paths containing one of these. Everything else is a unit test.
 * Measured figures are in docs/development.md; re-measure with `node scripts/test.mjs` (it prints
 * each file's time) before adding a slow file to the loop.
 */
export const NOT_UNIT = [
  'test/host/', // the extension host, in code-server and Chromium
  'test/webview/', // the notebook page, in Chromium
  'test/e2e-cli/', // the built CLI over generated trees
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

export const isUnit = (file) => !NOT_UNIT.some((pattern) => file.includes(pattern));
