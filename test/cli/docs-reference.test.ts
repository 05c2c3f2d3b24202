/** The CLI reference stays true: every option a command's --help prints is documented in docs/cli.md. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { commands } from '../../src/cli/commands';

const REFERENCE = readFileSync(path.join(__dirname, '../../docs/cli.md'), 'utf8');

describe('docs/cli.md', () => {
  for (const command of commands) {
    it(`documents the ${command.name} command and every option its --help prints`, () => {
      assert.match(REFERENCE, new RegExp(`audit-lens ${command.name}\\b`), `${command.name} is not in docs/cli.md`);
      const options = new Set([...command.usage.matchAll(/(?<![\w-])--([a-z][a-z0-9-]*)/g)].map((m) => m[1]!));
      const missing = [...options].filter((name) => name !== 'help' && !REFERENCE.includes(`--${name}`));
      assert.deepEqual(missing, [], `${command.name}: options missing from docs/cli.md`);
    });
  }
});
