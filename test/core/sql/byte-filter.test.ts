/** The raw-byte prefilter turns away exactly the lines the text test rejects, however the bytes arrive. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readLineBatches } from '../../../src/core/jsonl';
import { compileLineTest, compilePrefilter, type LinePrefilter } from '../../../src/core/sql/pushdown';
import { ByteLineFilter } from '../../../src/core/sql/pushdown/byte-filter';

const LINES = [
  '{"serviceName":"clusters","actionName":"create"}',
  '{"serviceName":"jobs","actionName":"create"}',
  '',
  '{"serviceName":"accounts","actionName":"login","note":"clusters"}',
  '{"serviceName":"\\u0063lusters","actionName":"delete"}',
  '{"serviceName":"clustersé","actionName":"créate"}',
  'not json, but clusters create',
  '{"serviceName":"accounts","actionName":"logout"}',
];
const TEXT = LINES.join('\r\n') + '\n';

async function* split(size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(TEXT, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

async function selected(prefilter: LinePrefilter, size: number): Promise<{ lines: number[]; skipped: number }> {
  const select = new ByteLineFilter(compilePrefilter(prefilter)!);
  const lines: number[] = [];
  for await (const batch of readLineBatches(split(size), { select })) for (const item of batch) lines.push(item.line);
  return { lines, skipped: select.skipped };
}

describe('ByteLineFilter', () => {
  const prefilters: LinePrefilter[] = [
    { serviceNames: ['clusters'] },
    { serviceNames: ['accounts'], statements: [{ serviceNames: ['accounts'], actionContains: ['login'] }] },
    { serviceNames: ['clusters', 'jobs'], statements: [{ serviceNames: ['clusters', 'jobs'], actionNames: ['create'] }] },
    { serviceNames: ['clustersé'] },
    { serviceNames: ['nosuch'] },
  ];

  for (const prefilter of prefilters) {
    it(`keeps the lines the text test keeps for ${JSON.stringify(prefilter)}, under every chunking`, async () => {
      const test = compileLineTest(prefilter)!;
      const expected = LINES.flatMap((text, i) => (text !== '' && test(text) ? [i + 1] : []));
      const nonBlank = LINES.filter((text) => text !== '').length;
      for (let size = 1; size <= Buffer.byteLength(TEXT) + 1; size++) {
        assert.deepEqual(await selected(prefilter, size), { lines: expected, skipped: nonBlank - expected.length }, `chunk size ${size}`);
      }
    });
  }
});
