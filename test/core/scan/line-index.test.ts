/** The line index: compact encoding, read planning, grouping by names, and its place in the scan cache. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ScanCache, scanFiles } from '../../../src/core/scan';
import { readIndexedLines } from '../../../src/core/scan/indexed-read';
import { ALWAYS_READ, decodeLines, encodeLines, groupKey, groupOf, planReads, selectLines, type IndexedLine } from '../../../src/core/scan/line-index';
import { LocalFolderSource } from '../../../src/core/sources';
import { readLineBatches } from '../../../src/core/jsonl';

describe('line index', () => {
  it('encodes and decodes lines exactly, large numbers included', () => {
    const lines: IndexedLine[] = [
      { line: 1, offset: 3, length: 0 },
      { line: 2, offset: 4, length: 127 },
      { line: 9, offset: 500, length: 128 },
      { line: 1_000_000, offset: 2 ** 40, length: 33 * 1024 * 1024 },
    ];
    assert.deepEqual(decodeLines(encodeLines(lines)), lines);
    assert.deepEqual(decodeLines(encodeLines([])), []);
    assert.throws(() => decodeLines(Buffer.from([0x80]).toString('base64')), /truncated/);
  });

  it('plans one read for lines closer than the gap, and separate reads otherwise', () => {
    const at = (line: number, offset: number, length = 10): IndexedLine => ({ line, offset, length });
    const reads = planReads([at(1, 0), at(2, 11), at(5, 100), at(9, 1000)], 80);
    assert.deepEqual(
      reads.map((r) => [r.start, r.end, r.lines.map((l) => l.line)]),
      [
        [0, 110, [1, 2, 5]],
        [1000, 1010, [9]],
      ],
    );
  });

  it('groups a record by its names, and keeps apart those only SQLite can read', () => {
    const group = (text: string) => groupOf(text, JSON.parse(text) as Record<string, unknown>);
    assert.equal(group('{"serviceName":"clusters","actionName":"create"}'), groupKey('clusters', 'create'));
    assert.equal(group('{"serviceName":"clusters"}'), groupKey('clusters', null));
    assert.equal(group('{"serviceName":"clusters","actionName":null}'), groupKey('clusters', null));
    assert.equal(group('{"serviceName":"\\u0063lusters","actionName":"create"}'), ALWAYS_READ);
    assert.equal(group('{"serviceName":"x","serviceName":"clusters"}'), ALWAYS_READ);
    assert.equal(group('{"serviceName":"jobs","requestParams":{"actionName":"a"},"actionName":"b"}'), ALWAYS_READ);
    assert.equal(group('{"serviceName":1,"actionName":"create"}'), ALWAYS_READ);
    assert.equal(group('{"serviceName":"clusters","actionName":{"a":1}}'), ALWAYS_READ);
    assert.equal(group('{"actionName":"create"}'), ALWAYS_READ);
  });

  it('is built by a cached scan and reads back the lines a whole read gives, bad lines always included', async () => {
    const root = mkdtempSync(path.join(tmpdir(), 'audit-lens-line-index-'));
    const cacheDir = mkdtempSync(path.join(tmpdir(), 'audit-lens-line-index-cache-'));
    try {
      const folder = path.join(root, 'workspaceId=1', 'date=2024-01-01');
      mkdirSync(folder, { recursive: true });
      const text = [
        '\ufeff{"serviceName":"clusters","actionName":"create"}',
        '',
        '{"serviceName":"jobs","actionName":"run"}',
        'not json',
        '{"serviceName":"clusters","actionName":"delete","note":"é"}',
        '{"serviceName":"accounts","actionName":"login"}',
      ].join('\r\n');
      writeFileSync(path.join(folder, 'auditlogs_a.json'), text);
      writeFileSync(path.join(folder, 'auditlogs_b.json'), Buffer.from([0x7b, 0xff, 0x7d, 0x0a]));
      const source = new LocalFolderSource(root);
      const [a, b] = await source.listFiles();
      const cache = new ScanCache(cacheDir);
      await scanFiles(source, [a!, b!], { cache });
      assert.equal(await cache.getIndex(b!), undefined, 'a line that is not UTF-8 leaves the file without an index');
      const index = (await cache.getIndex(a!))!;
      assert.equal(index.lines, 5);
      const wanted = selectLines(index, (service) => service === 'clusters');
      assert.deepEqual(
        wanted.map((l) => l.line),
        [1, 4, 5],
      );
      const read: unknown[] = [];
      for await (const batch of readIndexedLines(source, a!, wanted)) read.push(...batch);
      const whole: unknown[] = [];
      for await (const batch of readLineBatches(source.openRead(a!), { keepBytes: true })) whole.push(...batch);
      assert.deepEqual(read, [whole[0], whole[2], whole[3]]);
    } finally {
      rmSync(root, { recursive: true, force: true });
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
