import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createReadStream, readFileSync, readdirSync } from 'node:fs';
import * as path from 'node:path';
import { validateDocument, validateStream, type Finding } from '../../../src/core/validate';
import { hostileCases, largeLineFile, type Expected, type ExpectedFinding } from '../../fixtures/hostile/make';

const folder = path.join(__dirname, '..', '..', 'fixtures', 'hostile');

function comparable(findings: readonly (Finding | ExpectedFinding)[]): string[] {
  return findings
    .map((f) => `${f.line}:${f.column} ${f.severity} ${f.code}`)
    .sort((a, b) => a.localeCompare(b, 'en', { numeric: true }));
}

async function* chunksOf(bytes: Buffer, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

function assertMatches(actual: { summary: Expected['summary']; findings: readonly Finding[] }, expected: Expected, name: string): void {
  const { lines, records, rejected } = actual.summary;
  assert.deepEqual({ lines, records, rejected }, expected.summary, `${name}: summary`);
  assert.equal(lines, records + rejected, `${name}: lines read = records + rejected`);
  assert.deepEqual(comparable(actual.findings), comparable(expected.findings), `${name}: findings`);
}

test('the committed corpus is what make.ts builds', () => {
  const names = readdirSync(folder).filter((f) => f.endsWith('.jsonl')).map((f) => f.replace(/\.jsonl$/, '')).sort();
  const cases = hostileCases();
  assert.deepEqual(names, cases.map((c) => c.name).sort());
  for (const c of cases) {
    assert.ok(readFileSync(path.join(folder, `${c.name}.jsonl`)).equals(c.bytes), `${c.name}.jsonl differs from make.ts`);
    assert.deepEqual(JSON.parse(readFileSync(path.join(folder, `${c.name}.expected.json`), 'utf8')), c.expected, `${c.name}.expected.json`);
  }
});

for (const c of hostileCases()) {
  test(`hostile case ${c.name} gives exactly its expected findings`, async () => {
    const expected = JSON.parse(readFileSync(path.join(folder, `${c.name}.expected.json`), 'utf8')) as Expected;
    const file = path.join(folder, `${c.name}.jsonl`);
    const result = await validateStream(createReadStream(file), { file });
    assertMatches(result, expected, c.name);
    assert.ok(result.findings.every((f) => f.file === file));
  });

  test(`hostile case ${c.name} gives the same findings when bytes arrive 7 at a time`, async () => {
    const result = await validateStream(chunksOf(c.bytes, 7), { file: c.name });
    assertMatches(result, c.expected, c.name);
  });
}

test('validateDocument agrees with the stream on every case that is valid UTF-8', () => {
  for (const c of hostileCases()) {
    if (c.name === 'invalid-utf8') continue;
    const result = validateDocument(c.bytes.toString('utf8'), { file: c.name });
    assertMatches(result, c.expected, c.name);
  }
});

test('a 10 MB line is read as one record, and no good line is lost around it', async () => {
  const { bytes, expected } = largeLineFile();
  assert.ok(bytes.length > 10 * 1024 * 1024);
  const result = await validateStream(chunksOf(bytes, 64 * 1024), { file: 'large' });
  assertMatches(result, expected, 'large');
});

test('a line over the reader limit is rejected with a finding, the others still count', async () => {
  const { bytes } = largeLineFile();
  const result = await validateStream(chunksOf(bytes, 64 * 1024), { file: 'large' }, { maxLineBytes: 1024 * 1024 });
  assert.deepEqual(result.summary, { lines: 3, records: 2, rejected: 1, errors: 1, warnings: 0, information: 0 });
  assert.deepEqual(comparable(result.findings), ['2:1 error line-too-long']);
});

test('onFindings receives the findings instead of the result', async () => {
  const c = hostileCases().find((x) => x.name === 'not-json')!;
  const seen: Finding[] = [];
  const result = await validateStream(chunksOf(c.bytes, 5), { file: 'x' }, { onFindings: (f) => seen.push(...f) });
  assert.equal(result.findings.length, 0);
  assert.equal(seen.length, 3);
  assert.equal(result.summary.errors, 3);
});
