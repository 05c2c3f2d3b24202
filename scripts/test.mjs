// Runs the test files under test/ (TypeScript, through tsx) with node's test runner, two at a time,
// each in its own process, and reports each file's time and peak resident memory. A file whose
// process goes over the memory bound is stopped and fails.
//
//   node scripts/test.mjs [--unit] [--watch] [path-substring ...]
//
// --unit keeps the files that need no browser, no code-server and no large generated tree
// (test-files.mjs); --watch re-runs the files when they or what they import change.
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { spawn, spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { findTestFiles, isUnit } from './test-files.mjs';
import { TreeWatch, parents } from './test-memory.mjs';

const args = process.argv.slice(2);
const unit = args.includes('--unit');
const watch = args.includes('--watch');
const filters = args.filter((a) => !a.startsWith('--'));
const files = findTestFiles()
  .filter((f) => !unit || isUnit(f))
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}

// Some tests start the built CLI or threads: they test the last build, not the sources.
const newest = (dir) => {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) latest = Math.max(latest, statSync(join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return latest;
};
if (existsSync('dist/cli.js') && statSync('dist/cli.js').mtimeMs < newest('src')) {
  console.error('note: src/ changed since the last build; tests of the built CLI and threads use the old one (npm run build)');
}

const GB = 1024 ** 3;
const MB = 1024 ** 2;
const LIMIT_MINUTES = Number(process.env.AUDIT_LENS_TEST_LIMIT_MINUTES ?? 20);
const MEMORY_BOUND = Number(process.env.AUDIT_LENS_TEST_MEMORY_BOUND_GB ?? 2) * GB;
const CONCURRENCY = Math.max(1, Number(process.env.AUDIT_LENS_TEST_CONCURRENCY ?? 2));
const SAMPLE_MS = 200;
const TIMINGS = '.cache/test-timings.json';

// The CLI and the extension share a per-user scan cache: tests get their own, so they neither read
// nor leave entries in the user's.
const scratch = mkdtempSync(join(tmpdir(), 'audit-lens-test-'));
const scanCache = join(scratch, 'scan-cache');
mkdirSync(scanCache);
const env = { ...process.env, AUDIT_LENS_SCAN_CACHE: scanCache };
if (process.stdout.isTTY && env.FORCE_COLOR === undefined) env.FORCE_COLOR = '1';
const preload = new URL('./test-peak.mjs', import.meta.url).href;
const nodeArgs = ['--import', 'tsx', '--import', preload, '--test', '--test-reporter=spec'];

if (watch) {
  // Node's own watch mode: one runner for all the files, re-running those whose imports changed
  // (it cannot be combined with --test-force-exit).
  const result = spawnSync(process.execPath, [...nodeArgs, '--watch', `--test-concurrency=${CONCURRENCY}`, ...files], { stdio: 'inherit', env });
  rmSync(scratch, { recursive: true, force: true });
  process.exit(result.status ?? 1);
}

const mb = (bytes) => `${Math.round(bytes / MB)} MB`;
const seconds = (ms) => `${(ms / 1000).toFixed(1)} s`;

function previousTimings() {
  try {
    return JSON.parse(readFileSync(TIMINGS, 'utf8'));
  } catch {
    return {};
  }
}

/** Runs one file; resolves with its outcome once its process tree is gone. */
function runFile(file, running) {
  return new Promise((done) => {
    const peakFile = join(scratch, `peak-${running.size}-${Date.now()}-${Math.random().toString(36).slice(2)}`);
    const started = Date.now();
    // A test file whose handles outlive its tests must not hold the run open: force the exit once
    // its tests are done.
    const child = spawn(process.execPath, [...nodeArgs, '--test-force-exit', file], {
      env: { ...env, AUDIT_LENS_TEST_PEAK_FILE: peakFile },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true, // its own process group, so that stopping it stops what it started
    });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    child.stderr.on('data', (chunk) => output.push(chunk));
    const entry = { file, child, tree: new TreeWatch(child.pid), overBound: 0 };
    running.set(child.pid, entry);
    child.on('close', (code, signal) => {
      running.delete(child.pid);
      let recorded = 0;
      if (existsSync(peakFile)) recorded = Number(readFileSync(peakFile, 'utf8')) || 0;
      const peak = Math.max(recorded, entry.tree.ownPeak, entry.overBound);
      done({ file, code, signal, ms: Date.now() - started, peak, childrenPeak: entry.tree.childrenPeak, output: Buffer.concat(output), overBound: entry.overBound > 0 || peak > MEMORY_BOUND, stopped: entry.stopped });
    });
  });
}

function stop(entry, why) {
  entry.stopped = why;
  try {
    process.kill(-entry.child.pid, 'SIGKILL');
  } catch {
    // Gone already, or no process groups on this system.
    entry.child.kill('SIGKILL');
  }
}

async function main() {
  const timings = previousTimings();
  // Longest first, so the slow files do not end the run alone: by the last run's times, and
  // without them the files outside the unit loop (the slow ones) first.
  const expected = (f) => timings[f] ?? (isUnit(f) ? 1e9 : 2e9);
  const queue = [...files].sort((a, b) => expected(b) - expected(a) || a.localeCompare(b));
  const running = new Map();
  const results = [];
  const startedAt = Date.now();

  const sampler = setInterval(() => {
    if (running.size === 0) return;
    const map = parents();
    for (const entry of running.values()) {
      const rss = entry.tree.sample(map);
      if (rss > MEMORY_BOUND && !entry.stopped) {
        entry.overBound = rss;
        stop(entry, `its process reached ${mb(rss)} resident, over the ${mb(MEMORY_BOUND)} bound`);
      }
    }
  }, SAMPLE_MS);
  let timedOut = false;
  const limit = setTimeout(() => {
    timedOut = true;
    queue.length = 0;
    for (const entry of running.values()) stop(entry, `the run did not finish within ${LIMIT_MINUTES} minutes`);
  }, LIMIT_MINUTES * 60_000);
  const interrupt = () => {
    queue.length = 0;
    for (const entry of running.values()) stop(entry, 'interrupted');
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);

  const worker = async () => {
    while (queue.length > 0) {
      const result = await runFile(queue.shift(), running);
      results.push(result);
      report(result);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, worker));
  clearInterval(sampler);
  clearTimeout(limit);
  rmSync(scratch, { recursive: true, force: true });

  for (const r of results) if (!r.stopped && r.code === 0) timings[r.file] = r.ms;
  mkdirSync('.cache', { recursive: true });
  writeFileSync(TIMINGS, JSON.stringify(timings, null, 1));
  summarise(results, Date.now() - startedAt, timedOut);
}

const failed = (r) => r.code !== 0 || r.overBound || r.stopped !== undefined;

function report(r) {
  process.stdout.write(r.output);
  const mark = failed(r) ? '✖' : '✔';
  const children = r.childrenPeak > 0 ? `; what it started: ${mb(r.childrenPeak)}` : '';
  console.log(`${mark} ${r.file}  ${seconds(r.ms)}, peak ${mb(r.peak)}${children}`);
  if (r.stopped) console.log(`  stopped: ${r.stopped}`);
  else if (r.overBound) console.log(`  its process reached ${mb(r.peak)} resident, over the ${mb(MEMORY_BOUND)} bound`);
  else if (r.code !== 0) console.log(`  exit ${r.code ?? r.signal}`);
  console.log('');
}

/** Totals of the spec reporter's closing lines (ℹ tests 12, ℹ pass 12, ...) over every file. */
function totals(results) {
  const sums = {};
  for (const r of results) {
    for (const m of r.output.toString().matchAll(/^ℹ (tests|pass|fail|skipped|todo|cancelled) (\d+)$/gm)) sums[m[1]] = (sums[m[1]] ?? 0) + Number(m[2]);
  }
  return sums;
}

function table(title, rows, value) {
  console.log(title);
  for (const r of rows) console.log(`  ${value(r).padStart(9)}  ${r.file}`);
}

function summarise(results, ms, timedOut) {
  const bad = results.filter(failed);
  table('slowest files:', [...results].sort((a, b) => b.ms - a.ms).slice(0, 10), (r) => seconds(r.ms));
  table('largest peaks (the test file\'s own process; what it starts is not counted):', [...results].sort((a, b) => b.peak - a.peak).slice(0, 10), (r) => mb(r.peak));
  const t = totals(results);
  const counts = Object.entries(t).map(([k, v]) => `${v} ${k}`).join(', ');
  console.log(`\n${results.length} of ${files.length} files in ${seconds(ms)} (${CONCURRENCY} at a time); tests: ${counts}`);
  if (timedOut) console.error(`tests did not finish within ${LIMIT_MINUTES} minutes: stopped`);
  if (bad.length > 0) {
    // The failures again at the end, where a log cut to its tail still shows them.
    for (const r of bad) {
      const text = r.output.toString();
      const at = text.lastIndexOf('✖ failing tests:');
      console.error(`\n── ${r.file} ──\n${(at >= 0 ? text.slice(at) : text.slice(-4000)).trimEnd()}`);
    }
    console.error(`\n${bad.length} file(s) failed:`);
    for (const r of bad) console.error(`  ${r.file}${r.stopped ? ` (${r.stopped})` : r.overBound ? ` (peak ${mb(r.peak)}, over the ${mb(MEMORY_BOUND)} bound)` : ''}`);
  }
  process.exitCode = bad.length > 0 || timedOut || results.length < files.length ? 1 : 0;
}

await main();
