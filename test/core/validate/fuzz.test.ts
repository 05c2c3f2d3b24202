/**
 * Property test of the validator and the loader over generated hostile lines: keys named like
 * prototype members or holding control characters, deep nesting, odd numbers, broken JSON. No
 * exception escapes, and every line read is accounted for: loaded (a record) or reported.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { AuditDatabase } from '../../../src/core/sql/database';
import { loadIntoDatabase } from '../../../src/core/sql/loader';
import { validateStream } from '../../../src/core/validate';
import { writeDeliveryTree } from '../../support/deliveryTree';
import { aLine, PROTOTYPE_NAMES } from '../../support/records';

const FIELDS = ['version', 'timestamp', 'workspaceId', 'serviceName', 'actionName', 'requestParams', 'userIdentity', 'response', 'auditLevel', 'email', 'statusCode'];
/** Numbers as JSON text, so they reach the parsers as written. */
const ODD_NUMBERS = ['1e400', '-1e400', '-0', '9007199254740993', '123456789012345678901234567890', '1e-400', '0.1e1', '-1E+2', '5e-324', '1.7976931348623157e308'];

const controlText = fc.string({ unit: fc.oneof(fc.constantFrom('\u0000', '\u0007', '\u001b', '\u007f', '\u009b', '\u202e', '\ud800', '\"', '\\'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) });
const key = fc.oneof(fc.constantFrom(...PROTOTYPE_NAMES, ...FIELDS), controlText);

/** A JSON value as text, nested up to `depth`. */
const value: fc.Memo<string> = fc.memo((depth) => {
  const leaf = fc.oneof(fc.constantFrom(...ODD_NUMBERS, 'null', 'true', 'false'), controlText.map((s) => JSON.stringify(s)), fc.double().map((n) => JSON.stringify(n)));
  if (depth <= 1) return leaf;
  return fc.oneof(
    { weight: 3, arbitrary: leaf },
    { weight: 1, arbitrary: fc.array(value(depth - 1), { maxLength: 4 }).map((items) => `[${items.join(',')}]`) },
    { weight: 2, arbitrary: fc.array(fc.tuple(key, value(depth - 1)), { maxLength: 4 }).map((members) => `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v}`).join(',')}}`) },
  );
});

/** One line of a file: never blank, never holding a line break of its own. */
const line = fc.oneof(
  { weight: 4, arbitrary: fc.array(fc.tuple(key, value(4)), { maxLength: 6 }).map((members) => aLine().replace(/^\{/, `{${members.map(([k, v]) => `${JSON.stringify(k)}:${v},`).join('')}`)) },
  { weight: 2, arbitrary: fc.tuple(fc.constantFrom('{"a":', '[', '{"b":[', '{"constructor":'), fc.integer({ min: 1, max: 3000 })).map(([open, depth]) => open.repeat(depth) + '1' + (open.startsWith('[') ? ']' : '}').repeat(depth)) },
  { weight: 1, arbitrary: fc.tuple(fc.constant(aLine()), fc.nat()).map(([text, cut]) => text.slice(0, 1 + (cut % (text.length - 1)))) },
  { weight: 1, arbitrary: controlText.map((s) => `x${s.replace(/[\r\n\u2028\u2029]/g, '')}`) },
  { weight: 1, arbitrary: value(3) },
);

async function* chunks(text: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(text, 'utf8');
}

describe('hostile generated lines', () => {
  let database: AuditDatabase;
  before(async () => {
    database = await AuditDatabase.open();
  });
  after(() => database.close());

  it('the validator never throws, and lines read = records + rejected', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 20 }), async (lines) => {
        const result = await validateStream(chunks(lines.join('\n') + '\n'), { file: 'f', expectedWorkspaceId: '1', expectedDate: '2024-01-15' });
        assert.equal(result.summary.lines, lines.length);
        assert.equal(result.summary.records + result.summary.rejected, lines.length);
      }),
      { numRuns: 150 },
    );
  });

  it('the loader never throws, and lines read = loaded + rejected', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(line, { minLength: 1, maxLength: 20 }), async (lines) => {
        const tree = writeDeliveryTree([{ workspaceId: '1', date: '2024-01-15', lines }]);
        try {
          const summary = await loadIntoDatabase(database, { sources: [tree.root] }, { maxRows: 1000 });
          assert.equal(summary.linesRead, lines.length);
          assert.equal(summary.recordsLoaded + summary.linesRejected, lines.length);
          assert.equal(database.rowCount, summary.recordsLoaded);
        } finally {
          tree.remove();
        }
      }),
      { numRuns: 40 },
    );
  });
});
