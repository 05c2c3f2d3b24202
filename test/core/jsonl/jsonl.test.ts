import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readLineBatches, parseLine, type LineItem, type ParsedLine } from '../../../src/core/jsonl';

async function* chunksOf(...parts: Array<string | number[]>): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield typeof p === 'string' ? Buffer.from(p, 'utf8') : Uint8Array.from(p);
}

async function collect(chunks: AsyncIterable<Uint8Array>, maxLineBytes?: number): Promise<LineItem[]> {
  const out: LineItem[] = [];
  for await (const batch of readLineBatches(chunks, { maxLineBytes })) out.push(...batch);
  return out;
}

/** Splits a string into chunks of every size 1..n so line boundaries fall everywhere. */
async function* everySplit(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** Reads `text` split into chunks of every size, checking each reading gives `expected`. */
async function assertUnderAnyChunking(text: string, expected: LineItem[]): Promise<void> {
  for (let size = 1; size <= text.length + 1; size++) {
    assert.deepEqual(await collect(everySplit(text, size)), expected, `chunk size ${size}`);
  }
}

test('line numbers and byte offsets survive any chunking, CRLF and blank lines', async () => {
  const text = '{"a":1}\r\n\r\n{"b":"é"}\n   \n{"c":3}';
  const expected: LineItem[] = [
    { kind: 'line', line: 1, offset: 0, text: '{"a":1}' },
    { kind: 'line', line: 3, offset: 11, text: '{"b":"é"}' },
    { kind: 'line', line: 5, offset: 26, text: '{"c":3}' },
  ];
  await assertUnderAnyChunking(text, expected);
});

test('a lone CR ends a line, as in Spark and in editors, under any chunking', async () => {
  const text = '{"a":1}\r{"b":2}\r\r\n{"c":3}\r';
  const expected: LineItem[] = [
    { kind: 'line', line: 1, offset: 0, text: '{"a":1}' },
    { kind: 'line', line: 2, offset: 8, text: '{"b":2}' },
    { kind: 'line', line: 4, offset: 18, text: '{"c":3}' },
  ];
  await assertUnderAnyChunking(text, expected);
});

test('a BOM is skipped and offsets stay byte offsets', async () => {
  const items = await collect(chunksOf([0xef, 0xbb], [0xbf], '{"x":1}\n{"y":2}\n'));
  assert.deepEqual(items, [
    { kind: 'line', line: 1, offset: 3, text: '{"x":1}' },
    { kind: 'line', line: 2, offset: 11, text: '{"y":2}' },
  ]);
});

test('invalid UTF-8 is reported with its line and the next line still loads', async () => {
  const items = await collect(chunksOf('{"a":1}\n', [0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d, 0x0a], '{"b":2}\n'));
  assert.equal(items.length, 3);
  assert.deepEqual(items[1] && { kind: items[1].kind, line: items[1].line, offset: items[1].offset }, { kind: 'problem', line: 2, offset: 8 });
  assert.match((items[1] as { reason: string }).reason, /UTF-8/);
  assert.deepEqual(items[2], { kind: 'line', line: 3, offset: 15, text: '{"b":2}' });
});

test('an over-long line is reported and skipped without holding it', async () => {
  const long = 'x'.repeat(5000);
  const items = await collect(everySplit(`{"a":1}\n${long}\n{"b":2}`, 300), 1000);
  assert.deepEqual(items.map((i) => [i.kind, i.line]), [['line', 1], ['problem', 2], ['line', 3]]);
  assert.match((items[1] as { reason: string }).reason, /longer than the limit of 1000 bytes/);
  assert.equal((items[2] as { offset: number }).offset, 8 + 5001);
});

test('an over-long last line without newline is still reported', async () => {
  const items = await collect(everySplit(`{"a":1}\n${'y'.repeat(3000)}`, 512), 1000);
  assert.deepEqual(items.map((i) => [i.kind, i.line]), [['line', 1], ['problem', 2]]);
});

test('records: malformed, truncated and non-object lines are problems; the rest load', async () => {
  const out: ParsedLine[] = [];
  for await (const batch of readLineBatches(chunksOf('{"a":1}\n{"a":\n[1,2]\n"text"\nnull\n{"b":2} trailing\n{"c":3}\n{"d":'))) {
    out.push(...batch.map((item) => (item.kind === 'line' ? parseLine(item) : item)));
  }
  assert.deepEqual(out.map((i) => [i.kind, i.line]), [
    ['record', 1], ['problem', 2], ['problem', 3], ['problem', 4], ['problem', 5], ['problem', 6], ['record', 7], ['problem', 8],
  ]);
  const reasons = out.filter((i) => i.kind === 'problem').map((i) => (i as { reason: string }).reason);
  assert.match(reasons[0]!, /truncated/);
  assert.match(reasons[1]!, /array, not a JSON object/);
  assert.match(reasons[2]!, /string, not a JSON object/);
  assert.match(reasons[3]!, /null, not a JSON object/);
  assert.match(reasons[4]!, /invalid JSON at column 9/);
  assert.match(reasons[5]!, /truncated/);
});

test('an empty input yields nothing', async () => {
  assert.deepEqual(await collect(chunksOf()), []);
  assert.deepEqual(await collect(chunksOf('', '\n\n')), []);
});

test('parseLine keeps the text it parsed', () => {
  const r = parseLine({ kind: 'line', line: 4, offset: 10, text: '{"k":"v"}' });
  assert.equal(r.kind, 'record');
  if (r.kind === 'record') assert.deepEqual(r.value, { k: 'v' });
});
