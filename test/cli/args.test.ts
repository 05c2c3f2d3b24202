import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AuditLensError } from '../../src/core/errors';
import { allValues, lastValue, parseArgs } from '../../src/cli/args';

const spec = { valueOptions: ['source', 'from', 'format'], flagOptions: ['json'] };

function usage(fn: () => unknown): AuditLensError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof AuditLensError);
    assert.equal(error.code, 'usage');
    return error;
  }
  assert.fail('expected a usage error');
}

test('collects positionals, repeated options, inline values and flags', () => {
  const args = parseArgs(['SELECT 1', '--source', 'a', '--source=b', '--json', '--format', 'csv'], spec, 'hint');
  assert.deepEqual(args.positionals, ['SELECT 1']);
  assert.deepEqual(allValues(args, 'source'), ['a', 'b']);
  assert.equal(lastValue(args, 'format'), 'csv');
  assert.ok(args.flags.has('json'));
});

test('-h and --help set the help flag', () => {
  assert.ok(parseArgs(['-h'], spec, 'hint').flags.has('help'));
  assert.ok(parseArgs(['--help'], spec, 'hint').flags.has('help'));
});

test('everything after -- is positional', () => {
  assert.deepEqual(parseArgs(['--', '--json', '-x'], spec, 'hint').positionals, ['--json', '-x']);
});

test('unknown options, missing values and values on flags are usage errors with the hint', () => {
  assert.match(usage(() => parseArgs(['--nope'], spec, 'see help')).userMessage, /Unknown option '--nope'/);
  assert.equal(usage(() => parseArgs(['--nope'], spec, 'see help')).detail, 'see help');
  assert.match(usage(() => parseArgs(['-x'], spec, 'h')).userMessage, /Unknown option '-x'/);
  assert.match(usage(() => parseArgs(['--source'], spec, 'h')).userMessage, /'--source' needs a value/);
  assert.match(usage(() => parseArgs(['--source', '--json'], spec, 'h')).userMessage, /needs a value/);
  assert.match(usage(() => parseArgs(['--json=yes'], spec, 'h')).userMessage, /takes no value/);
});

test('a value may start with a dash when given inline, and negative numbers are positionals', () => {
  assert.equal(lastValue(parseArgs(['--source=-odd'], spec, 'h'), 'source'), '-odd');
  assert.deepEqual(parseArgs(['-1'], spec, 'h').positionals, ['-1']);
});

test('takes SQL that opens with a -- comment line as the SQL, and -- ends the options', () => {
  const sql = '-- failed logins\nSELECT 1';
  const args = parseArgs(['--source', 'a', sql, '--json'], spec, 'hint');
  assert.deepEqual(args.positionals, [sql]);
  assert.ok(args.flags.has('json'));
  assert.deepEqual(parseArgs(['--source', 'a', '--', '--json'], spec, 'hint').positionals, ['--json']);
  assert.equal(lastValue(parseArgs(['--format', '-- x'], { ...spec }, 'hint'), 'format'), '-- x');
  assert.match(usage(() => parseArgs(['--nope', sql], spec, 'hint')).userMessage, /Unknown option '--nope'/);
});
