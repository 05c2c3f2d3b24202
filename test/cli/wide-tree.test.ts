/**
 * A wide tree — 400 workspaces × 366 dates, 146,400 partitions of one empty file each — is listed
 * by `ls` and `ls --json` in full, within a small heap and in bounded time, with no stack trace.
 */
import assert from 'node:assert/strict';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertBuilt, runCli, STACK_FRAME, type CliRun } from '../support/cli';

const WORKSPACES = 400;
const DAYS = 366;
const FIRST_WORKSPACE = 1_000_000;
/** Far less than the listing would need if every partition were held at once. */
const HEAP_MB = 64;
const TIME_LIMIT_MS = 150_000;

/** A memory-backed folder when the system has one: writing 290,000 names is several times faster there. */
function scratchRoot(): string {
  const shm = '/dev/shm';
  return mkdtempSync(path.join(process.platform === 'linux' && existsSync(shm) ? shm : tmpdir(), 'audit-lens-wide-'));
}

describe('a tree of 146,400 partitions', { skip: process.platform === 'win32', timeout: 4 * TIME_LIMIT_MS }, () => {
  let root = '';
  const first = Date.UTC(2024, 0, 1);
  const dates = Array.from({ length: DAYS }, (_, i) => new Date(first + i * 86_400_000).toISOString().slice(0, 10));

  before(() => {
    assertBuilt();
    root = scratchRoot();
    for (let w = 0; w < WORKSPACES; w++) {
      const workspace = path.join(root, `workspaceId=${FIRST_WORKSPACE + w}`);
      mkdirSync(workspace);
      for (const date of dates) {
        const day = path.join(workspace, `date=${date}`);
        mkdirSync(day);
        closeSync(openSync(path.join(day, 'auditlogs_a.json'), 'w'));
      }
    }
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  async function runBounded(args: readonly string[]): Promise<CliRun> {
    let timer: NodeJS.Timeout | undefined;
    const run = await runCli(args, {
      cwd: tmpdir(),
      env: { NODE_OPTIONS: `--max-old-space-size=${HEAP_MB}` },
      onSpawn: (child) => (timer = setTimeout(() => child.kill('SIGKILL'), TIME_LIMIT_MS)),
    });
    clearTimeout(timer);
    assert.equal(run.signal, null, `audit-lens ${args.join(' ')} did not end within ${TIME_LIMIT_MS / 1000} s`);
    assert.doesNotMatch(run.stderr, STACK_FRAME);
    assert.equal(run.code, 0, run.stderr);
    return run;
  }

  it('ls prints a row for every partition and the totals', async () => {
    const run = await runBounded(['ls', '--source', root]);
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3 + WORKSPACES * DAYS + 1);
    assert.match(lines[3]!, new RegExp(`^${FIRST_WORKSPACE} +2024-01-01 +1 +0 B$`));
    assert.match(lines[lines.length - 2]!, new RegExp(`^${FIRST_WORKSPACE + WORKSPACES - 1} +2024-12-31 +1 +0 B$`));
    assert.equal(lines[lines.length - 1], `${WORKSPACES} workspaces, ${WORKSPACES * DAYS} files, 0 B`);
  });

  it('ls --json holds every workspace, date and file', async () => {
    const run = await runBounded(['ls', '--source', root, '--json']);
    const doc = JSON.parse(run.stdout) as { sources: { workspaces: { workspaceId: string; dates: { date: string; files: unknown[] }[] }[]; files: number; bytes: number }[]; notes: string[] };
    const [listing] = doc.sources;
    assert.equal(doc.sources.length, 1);
    assert.equal(listing!.files, WORKSPACES * DAYS);
    assert.equal(listing!.bytes, 0);
    assert.equal(listing!.workspaces.length, WORKSPACES);
    assert.ok(listing!.workspaces.every((w) => w.dates.length === DAYS && w.dates.every((d) => d.files.length === 1)));
    assert.deepEqual(listing!.workspaces[WORKSPACES - 1]!.dates.map((d) => d.date), dates);
    assert.deepEqual(doc.notes, []);
  });
});
