// Runs every test file under test/ (TypeScript, through tsx) with node's test runner.
// Optional arguments narrow the run to paths containing one of them.
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';

function find(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (name === 'fixtures' || name === 'node_modules') continue;
    if (statSync(full).isDirectory()) out.push(...find(full));
    else if (name.endsWith('.test.ts')) out.push(full);
  }
  return out;
}

const filters = process.argv.slice(2);
const files = find('test')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// A test file whose handles outlive its tests must not hold the run open: force the exit once
// tests are done, and give the whole run a hard limit so a hang fails instead of waiting forever.
const LIMIT_MINUTES = Number(process.env.AUDIT_LENS_TEST_LIMIT_MINUTES ?? 20);
// The CLI and the extension share a per-user scan cache: tests get their own, so they neither read
// nor leave entries in the user's.
const scanCache = mkdtempSync(join(tmpdir(), 'audit-lens-test-scan-cache-'));
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-force-exit', '--test-reporter=spec', '--test-concurrency=2', ...files],
  { stdio: 'inherit', timeout: LIMIT_MINUTES * 60_000, killSignal: 'SIGKILL', env: { ...process.env, AUDIT_LENS_SCAN_CACHE: scanCache } },
);
rmSync(scanCache, { recursive: true, force: true });
if (result.error?.code === 'ETIMEDOUT') console.error(`tests did not finish within ${LIMIT_MINUTES} minutes: stopped`);
process.exit(result.status ?? 1);
