/**
 * The CLI never shows a user a stack trace: a refused statement, a full disk and an internal
 * error each get one message and exit 1; `--debug` adds the whole detail on stderr.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { before, describe, it } from 'node:test';
import { takeDebugFlag } from '../../src/cli/main';
import { assertBuilt, ROOT, runCli, STACK_FRAME } from '../support/cli';
import * as path from 'node:path';

const SAMPLE = path.join(ROOT, 'samples/bucket');

describe('errors without stack traces', () => {
  before(assertBuilt);

  it('dropping the loaded table is refused with a message, exit 1', async () => {
    const run = await runCli(['query', 'DROP TABLE audit_logs; SELECT 1', '--source', SAMPLE]);
    assert.equal(run.code, 1, run.stderr);
    assert.doesNotMatch(run.stdout + run.stderr, STACK_FRAME);
    assert.match(run.stderr, /^audit-lens: audit_logs belongs to the session .* cannot be dropped or altered/m);
    for (const sql of ['DROP VIEW IF EXISTS system_access_audit', 'ALTER TABLE main.`audit_logs` RENAME TO x', 'drop index audit_logs_service_action']) {
      const other = await runCli(['query', sql, '--source', SAMPLE]);
      assert.equal(other.code, 1, `${sql}: ${other.stderr}`);
      assert.match(other.stderr, /cannot be dropped or altered/, sql);
    }
  });

  it('a table of the user\'s own may still be made and dropped', async () => {
    const run = await runCli(['query', 'CREATE TABLE mine AS SELECT 1 AS n; DROP TABLE mine; SELECT count(*) AS n FROM audit_logs', '--source', SAMPLE, '--format', 'json']);
    assert.equal(run.code, 0, run.stderr);
  });

  it('a full disk is one message and exit 1', { skip: !existsSync('/dev/full') }, async () => {
    const { spawn } = await import('node:child_process');
    const { openSync, closeSync } = await import('node:fs');
    const full = openSync('/dev/full', 'w');
    try {
      const child = spawn(process.execPath, [path.join(ROOT, 'dist/cli.js'), 'query', 'SELECT * FROM audit_logs', '--source', SAMPLE, '--format', 'csv'], { stdio: ['ignore', full, 'pipe'] });
      const err: Buffer[] = [];
      child.stderr!.on('data', (c: Buffer) => err.push(c));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      const stderr = Buffer.concat(err).toString('utf8');
      assert.equal(code, 1, stderr);
      assert.doesNotMatch(stderr, STACK_FRAME);
      assert.match(stderr, /^audit-lens: Cannot write the output: ENOSPC/m);
    } finally {
      closeSync(full);
    }
  });

  it('--debug prints the detail, anywhere on the command line, and is not an unknown option', async () => {
    const plain = await runCli(['query', 'SELECT nope FROM audit_logs', '--source', SAMPLE]);
    assert.equal(plain.code, 1);
    assert.doesNotMatch(plain.stderr, /^debug: /m);
    const debug = await runCli(['query', 'SELECT nope FROM audit_logs', '--source', SAMPLE, '--debug']);
    assert.equal(debug.code, 1, debug.stderr);
    assert.match(debug.stderr, /^debug: code sql$/m);
    const first = await runCli(['--debug', 'query', 'SELECT count(*) FROM audit_logs', '--source', SAMPLE, '--format', 'json']);
    assert.equal(first.code, 0, first.stderr);
  });

  it('takes --debug out before a command parses, but not after --', () => {
    assert.deepEqual(takeDebugFlag(['query', '--debug', 'SELECT 1']), { argv: ['query', 'SELECT 1'], debug: true });
    assert.deepEqual(takeDebugFlag(['query', '--', '--debug']), { argv: ['query', '--', '--debug'], debug: false });
  });
});
