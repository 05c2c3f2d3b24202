/**
 * Control characters from log data (values, keys, file names, bad lines) never reach the terminal
 * raw in human-readable output; CSV and JSON carry them exactly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { escapeForTerminal } from '../../src/cli/format/terminal';
import { aRecord, writeDeliveryTree, type DeliveryTree } from '../support/deliveryTree';
import { assertBuilt, runCli } from '../support/cli';

const ESC_TITLE = '\u001b]0;pwned\u0007';
const RED = '\u001b[31m';
const C1_CSI = '\u009b2J';
const BIDI = '\u202e';
/** Raw control characters a terminal would act on (tab and newline between output lines aside). */
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

describe('terminal escaping', () => {
  let tree: DeliveryTree;
  const value = `evil${ESC_TITLE}${RED}${C1_CSI}${BIDI}\nforged line`;

  before(() => {
    assertBuilt();
    tree = writeDeliveryTree([
      {
        workspaceId: '1',
        date: '2024-01-15',
        name: `auditlogs_${RED}x.json`,
        lines: [aRecord({ serviceName: 'clusters', userAgent: value, [`key${RED}`]: 1 }), `{"broken": "${ESC_TITLE}`],
      },
    ]);
  });
  after(() => tree.remove());

  it('shows each control character as an escape', () => {
    assert.equal(escapeForTerminal(`a${RED}b\u0007\n\t\u009b\u202ez`), 'a\\x1b[31mb\\x07\\n\\t\\x9b\\u202ez');
    assert.equal(escapeForTerminal('plain text, ünïcode and 日本'), 'plain text, ünïcode and 日本');
  });

  it('query --format table escapes cells, and load warnings escape file names and bad lines', async () => {
    const run = await runCli(['query', 'SELECT userAgent FROM audit_logs', '--source', tree.root]);
    assert.equal(run.code, 0, run.stderr);
    assert.doesNotMatch(run.stdout, RAW_CONTROL);
    assert.doesNotMatch(run.stderr, RAW_CONTROL);
    assert.match(run.stdout, /evil\\x1b\]0;pwned\\x07\\x1b\[31m\\x9b2J\\u202e\\nforged line/);
    assert.match(run.stderr, /auditlogs_\\x1b\[31mx\.json:2: /);
  });

  it('query --format csv and json keep the value exactly', async () => {
    const csv = await runCli(['query', 'SELECT userAgent FROM audit_logs', '--source', tree.root, '--format', 'csv']);
    assert.ok(csv.stdout.includes(value), csv.stdout);
    const json = await runCli(['query', 'SELECT userAgent FROM audit_logs', '--source', tree.root, '--format', 'json']);
    assert.deepEqual((JSON.parse(json.stdout) as { rows: unknown[][] }).rows, [[value]]);
  });

  it('validate escapes file names, keys and values in its findings', async () => {
    const run = await runCli(['validate', tree.root]);
    assert.equal(run.code, 1, run.stderr);
    assert.doesNotMatch(run.stdout, RAW_CONTROL);
    assert.match(run.stdout, /auditlogs_\\x1b\[31mx\.json:2:\d+: error: /);
    const json = await runCli(['validate', tree.root, '--format', 'json']);
    assert.ok((JSON.parse(json.stdout) as { files: { file: string }[] }).files[0]!.file.includes(RED));
  });
});
