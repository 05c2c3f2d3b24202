/**
 * Direct calls (./udf-direct) give what sql.js's own calls give: the same SQL over two databases
 * of one module, one registered each way, returns the same values, types and errors; and values
 * large enough to grow the wasm memory in the middle of a query come through whole.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import initSqlJs, { type Database, type SqlJsStatic } from 'sql.js';
import { registerSparkFunctions } from '../../../src/core/sql/functions';
import { registerScalar } from '../../../src/core/sql/udf';

/**
 * The module, with the wasm memory captured as it is instantiated (sql.js does not export it).
 * sql.js makes one module per process: this must be the first to ask for it.
 */
async function openModule(): Promise<{ module: SqlJsStatic; memory: WebAssembly.Memory }> {
  const wasm = readFileSync(require.resolve('sql.js/dist/sql-wasm.wasm'));
  let memory: WebAssembly.Memory | undefined;
  const instantiateWasm = (imports: WebAssembly.Imports, done: (instance: WebAssembly.Instance) => void): object => {
    void WebAssembly.instantiate(wasm, imports).then(({ instance }) => {
      memory = Object.values(instance.exports).find((e): e is WebAssembly.Memory => e instanceof WebAssembly.Memory);
      done(instance);
    });
    return {};
  };
  // sql.js passes its config to Emscripten, which takes instantiateWasm; its typings do not list it.
  const module = await initSqlJs({ instantiateWasm } as Parameters<typeof initSqlJs>[0]);
  assert.ok(memory, 'the wasm instance exports its memory');
  return { module, memory };
}

const NOW = Date.UTC(2024, 0, 15, 12);
let module: SqlJsStatic;
let memory: WebAssembly.Memory;
let viaSqlJs: Database;
let direct: Database;
before(async () => {
  ({ module, memory } = await openModule());
  viaSqlJs = new module.Database();
  direct = new module.Database();
  registerSparkFunctions(viaSqlJs, () => NOW);
  registerSparkFunctions(direct, () => NOW, { module, memory });
  for (const db of [viaSqlJs, direct]) {
    registerScalar(db, 'echo', 1, 1, (value) => value);
    registerScalar(db, 'kind', 1, 1, (value) => (value instanceof Uint8Array ? `blob:${[...value].join(',')}` : `${typeof value}:${String(value)}`));
    registerScalar(db, 'give', 1, 1, (which) => RESULTS[Number(which)] as never);
    registerScalar(db, 'fail', 1, 1, (message) => {
      throw message === 'plain' ? 'a thrown string' : new Error(String(message));
    });
  }
});
after(() => {
  viaSqlJs.close();
  direct.close();
});

/** What a function may return, as sql.js turns each into a SQL value. */
const RESULTS: unknown[] = [true, false, 0, -1.5, 2 ** 53, '', 'é€😀', 'a\0b', null, new Uint8Array([0, 1, 255]), [1, 2], undefined, { a: 1 }, 10n];

type Outcome = { values: unknown[][] } | { error: string };
function run(db: Database, sql: string): Outcome {
  try {
    return { values: db.exec(sql).flatMap((r) => r.values) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  }
}

function same(sql: string): void {
  assert.deepEqual(run(direct, sql), run(viaSqlJs, sql), sql);
}

describe('direct calls', () => {
  it('read every kind of argument as sql.js does', () => {
    for (const value of ['NULL', '0', '-7', '9007199254740993', '1.25', "''", "'plain'", "'é€😀'", "'a' || char(0) || 'b'", "x''", "x'00ff10'", 'zeroblob(3)', "'" + 'long '.repeat(400) + "'"]) {
      same(`SELECT kind(${value}), typeof(echo(${value})), echo(${value})`);
    }
  });

  it('return every kind of result as sql.js does', () => {
    RESULTS.forEach((_, i) => same(`SELECT give(${i}), typeof(give(${i}))`));
  });

  it('turn a thrown error into the statement error with the same message', () => {
    same(`SELECT fail('spark_cast: nope')`);
    same(`SELECT fail('plain')`);
    same(`SELECT 'x' RLIKE '('`);
  });

  it('give the Spark functions the same answers, row after row', () => {
    const rows = `(SELECT column1 AS v FROM (VALUES ('10.0.0.1:443'), ('[2001:db8::1]:80'), (NULL), ('a,b,,c'), ('Ünïcode 😀'), ('6f1c2e9a-3b4d-4e5f-8a7b-9c0d1e2f3a4b'), ('')))`;
    for (const expression of [
      `regexp_replace(v, '^(?:\\[([^\\]]+)\\]|([^:]+))(?::[0-9]+)?$', '$1$2')`,
      `v REGEXP '^[0-9a-fA-F]{8}-'`,
      `regexp_extract(v, '([0-9]+)', 1)`,
      `split(v, ',')`,
      `concat_ws('|', v, 'x', NULL)`,
      `lpad(v, 12, '*')`,
      `sha2(v, 256)`,
      `base64(v)`,
      `spark_cast(v, 'int')`,
      `spark_cast('2024-01-15', 'date')`,
      `size(split(v, ','))`,
      `str_to_map('a:1,b:2')`,
    ]) same(`SELECT ${expression} FROM ${rows}`);
  });

  it('free the table slot of a function SQLite drops, when it is replaced or its database closes', () => {
    const functions = module as unknown as { addFunction(fn: () => void, signature: string): number; removeFunction(slot: number): void };
    const probe = (): number => {
      const slot = functions.addFunction(() => undefined, 'v');
      functions.removeFunction(slot);
      return slot;
    };
    const db = new module.Database();
    registerSparkFunctions(db, () => NOW, { module, memory });
    const before = probe();
    for (let i = 0; i < 100; i++) registerScalar(db, 'again', 1, 1, (value) => value);
    assert.ok(probe() <= before + 2, 'replacing a function frees the slot of the one it replaces');
    assert.deepEqual(db.exec(`SELECT again('x')`)[0]!.values, [['x']]);
    db.close();
    const fresh = new module.Database();
    registerSparkFunctions(fresh, () => NOW, { module, memory });
    assert.ok(probe() <= before + 2, "a closed database's functions leave their slots to the next database's");
    fresh.close();
  });

  it('read and write values that grow the wasm memory in the middle of a query', () => {
    const sql = `WITH RECURSIVE n(k) AS (SELECT 1 UNION ALL SELECT k + 1 FROM n WHERE k < 6)
      SELECT length(echo(zeroblob(k * 8000000))), length(echo(hex(zeroblob(k * 1000000)))), kind(substr(hex(zeroblob(k * 2000000)), 1, 4)) FROM n`;
    const expected = [1, 2, 3, 4, 5, 6].map((k) => [k * 8_000_000, k * 2_000_000, 'string:0000']);
    assert.deepEqual(run(direct, sql), { values: expected });
  });
});
