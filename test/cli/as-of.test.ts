/** `--as-of` as a user gives it: the option's parsing, and query, analyze and detect answering at the instant. */
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { AuditLensError } from '../../src/core/errors';
import { asOfChoice, asOfLine, resolveAsOfOption } from '../../src/cli/asOf';
import type { CliArgs } from '../../src/cli/command';
import type { SourceSelection } from '../../src/cli/sourceOptions';
import { assertBuilt, queryJson, runCli } from '../support/cli';

const args = (options: Record<string, string>): CliArgs => ({ positionals: [], flags: new Set<string>(), options: new Map(Object.entries(options).map(([k, v]) => [k, [v]])) });
const selection = (to?: string): SourceSelection => ({ sources: ['samples/bucket'], filter: to ? { to } : {} });

function usageFailure(work: () => unknown): AuditLensError {
  try {
    work();
  } catch (error) {
    return AuditLensError.from(error);
  }
  assert.fail('expected a usage error');
}

describe('the --as-of option', () => {
  it('reads an ISO-8601 instant, a date alone, or scope-end, and the wall clock without it', () => {
    assert.deepEqual(resolveAsOfOption(args({ 'as-of': '2026-11-30T14:00:00Z' }), selection(), [], 'hint'), { choice: { kind: 'instant', at: '2026-11-30T14:00:00Z' }, at: Date.parse('2026-11-30T14:00:00Z') });
    assert.equal(resolveAsOfOption(args({ 'as-of': '2026-11-30T15:00:00+01:00' }), selection(), [], 'hint').at, Date.parse('2026-11-30T14:00:00Z'));
    assert.equal(resolveAsOfOption(args({ 'as-of': '2026-11-30' }), selection(), [], 'hint').at, Date.parse('2026-11-30T00:00:00Z'));
    assert.deepEqual(resolveAsOfOption(args({}), selection(), [], 'hint', 1234), { choice: { kind: 'now' }, at: 1234 });
  });

  it('ends scope-end at 24:00 UTC of --to, else of the last date= folder the load read', () => {
    const files = ['/logs/workspaceId=1/date=2024-05-09/auditlogs_a.json', 'gs://bucket/p/workspaceId=0/date=2024-05-11/auditlogs_b.json', 'C:\\logs\\workspaceId=2\\date=2024-05-10\\auditlogs_c.json'];
    const scopeEnd = args({ 'as-of': 'scope-end' });
    assert.deepEqual(resolveAsOfOption(scopeEnd, selection(), files, 'hint'), { choice: { kind: 'scope-end' }, at: Date.parse('2024-05-12T00:00:00Z') });
    assert.equal(resolveAsOfOption(scopeEnd, selection('2024-05-01'), files, 'hint').at, Date.parse('2024-05-02T00:00:00Z'));
    assert.equal(asOfLine(resolveAsOfOption(scopeEnd, selection('2024-05-01'), [], 'hint')), 'as of 2024-05-02T00:00:00.000Z (end of scope)\n');
    assert.equal(usageFailure(() => resolveAsOfOption(scopeEnd, selection(), [], 'hint')).code, 'usage');
  });

  it('refuses a value that is neither an instant nor scope-end, as a usage error', () => {
    for (const bad of ['yesterday', '2026-13-01', '2026-11-30T25:00:00Z', '1732975200000', '']) {
      const error = usageFailure(() => asOfChoice(args({ 'as-of': bad }), 'hint'));
      assert.equal(error.code, 'usage', bad);
      assert.match(error.userMessage, /neither an ISO-8601 instant .* nor 'scope-end'/);
    }
  });
});

describe('audit-lens with --as-of', () => {
  before(() => assertBuilt());

  const lastDay = 'SELECT count(*) AS n FROM audit_logs WHERE timestamp >= unix_millis(current_timestamp() - INTERVAL 24 HOURS) AND timestamp < unix_millis(current_timestamp())';
  const at = '2024-05-10T12:00:00Z';

  it('query answers at the instant, and its JSON names it', async () => {
    const pinned = await queryJson(lastDay, ['samples/bucket'], ['--as-of', at]);
    const literal = await queryJson(`SELECT count(*) AS n FROM audit_logs WHERE timestamp >= ${Date.parse(at) - 86_400_000} AND timestamp < ${Date.parse(at)}`, ['samples/bucket']);
    const all = await queryJson('SELECT count(*) FROM audit_logs', ['samples/bucket']);
    assert.ok((pinned.rows[0]![0] as number) > 0 && (pinned.rows[0]![0] as number) < (all.rows[0]![0] as number));
    assert.deepEqual(pinned.rows, literal.rows);
    assert.equal((pinned as unknown as { asOf: string }).asOf, '2024-05-10T12:00:00.000Z');
    assert.equal('asOf' in all, false, 'without --as-of the output keeps its shape');
  });

  it('query at scope-end prints the instant on stderr above its table', async () => {
    const run = await runCli(['query', 'SELECT current_timestamp() AS now, max(date) AS last FROM audit_logs', '--source', 'samples/bucket', '--as-of', 'scope-end']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stderr, /^as of 2024-05-13T00:00:00\.000Z \(end of scope\)$/m);
    assert.match(run.stdout, /2024-05-13 00:00:00 +2024-05-12/);
  });

  it('a bad value exits 2 before loading anything', async () => {
    for (const command of ['query', 'analyze', 'detect']) {
      const run = await runCli([command, ...(command === 'query' ? ['SELECT 1'] : []), '--source', 'samples/bucket', '--as-of', 'last tuesday']);
      assert.equal(run.code, 2, `${command}: ${run.stderr}`);
      assert.match(run.stderr, /--as-of 'last tuesday' is neither/);
    }
  });

  it('analyze says the instant; detect names it in its JSON and Markdown reports', async () => {
    const analyze = await runCli(['analyze', '--source', 'samples/bucket', '--as-of', at]);
    assert.equal(analyze.code, 0, analyze.stderr);
    assert.match(analyze.stderr, /^as of 2024-05-10T12:00:00\.000Z$/m);
    const json = await runCli(['detect', '--source', 'samples/bucket', '--format', 'json', '--fail-on', 'none', '--as-of', 'scope-end', '--to', '2024-05-08']);
    assert.equal(json.code, 0, json.stderr);
    assert.equal((JSON.parse(json.stdout) as { asOf: string }).asOf, '2024-05-09T00:00:00.000Z');
    const markdown = await runCli(['detect', '--source', 'samples/bucket', '--format', 'markdown', '--fail-on', 'none', '--as-of', at]);
    assert.match(markdown.stdout, /^- \*\*As of:\*\* 2024-05-10T12:00:00\.000Z$/m);
  });
});
