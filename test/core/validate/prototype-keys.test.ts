/** Keys named like JavaScript's prototype members are data like any other key. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeParam } from '../../../src/core/catalog';
import { describeField } from '../../../src/core/schema';
import { validateLine, validateStream } from '../../../src/core/validate';
import { AuditDatabase } from '../../../src/core/sql/database';
import { aLine, PROTOTYPE_NAMES } from '../../support/records';


/** A record line with `"key": value` added at the top level (or inside `parent`), as JSON text. */
function lineWith(key: string, value: unknown, parent?: 'userIdentity' | 'response' | 'requestParams'): string {
  const member = `${JSON.stringify(key)}:${JSON.stringify(value)},`;
  if (!parent) return aLine().replace(/^\{/, `{${member}`);
  return aLine().replace(`"${parent}":{`, `"${parent}":{${member}`);
}

describe('keys named like prototype members', () => {
  for (const key of PROTOTYPE_NAMES) {
    it(`a record with a top-level "${key}" holding an object is validated, not crashed on`, () => {
      const result = validateLine(lineWith(key, { nested: { deeper: 1 } }), { file: 'f', line: 1 });
      assert.equal(result.isRecord, true);
      assert.deepEqual(result.findings.filter((f) => f.severity === 'error'), []);
    });

    it(`"${key}" inside userIdentity, response and requestParams is validated too`, () => {
      for (const parent of ['userIdentity', 'response', 'requestParams'] as const) {
        const result = validateLine(lineWith(key, { x: 1 }, parent), { file: 'f', line: 1, expectedDate: '2024-03-05' });
        assert.equal(result.isRecord, true, `${parent}.${key}`);
      }
    });

    it(`the catalog and the schema know nothing of "${key}"`, () => {
      assert.equal(describeParam('clusters', 'create', key).documented, false);
      assert.equal(describeField([key]), undefined);
      assert.equal(describeField(['response', key]), undefined);
    });
  }

  it('a file of such records streams through the validator with every line counted', async () => {
    const lines = PROTOTYPE_NAMES.map((key) => lineWith(key, { a: [1, 2] }));
    async function* bytes(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(lines.join('\n') + '\n');
    }
    const result = await validateStream(bytes(), { file: 'f' });
    assert.deepEqual({ lines: result.summary.lines, records: result.summary.records, rejected: result.summary.rejected }, { lines: lines.length, records: lines.length, rejected: 0 });
  });

  it('an interval unit or a date pattern letter named like a prototype member is refused, not computed as NaN', async () => {
    const database = await AuditDatabase.open();
    try {
      assert.throws(() => database.query("SELECT spark_time_add(0, 1, 'constructor', 0)"), /unknown unit constructor/);
    } finally {
      database.close();
    }
  });
});
