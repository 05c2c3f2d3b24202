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
  '   ',
  '{"serviceName":"jobs","userIdentity":{"email":"a@b.c"},"sourceIPAddress":"10.0.0.1"}',
  '{"serviceName":"jobs","userIdentity":{"email":"x@b.c"},"requestParams":{"user":"a@b.c"}}',
  '{"serviceName":"clusters","userIdentity":{"email":"A@b.c"},"sourceIPAddress":"10.0.0.12"}',
];
/** The lines joined by CRLF, by LF alone, and by a mix with lone CRs. */
const TEXTS = [LINES.join('\r\n') + '\n', LINES.join('\n') + '\n', LINES.map((line, i) => line + (i % 3 === 0 ? '\r' : '\n')).join('')];

async function* split(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = Buffer.from(text, 'utf8');
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** The lines given (number@offset) and the count turned away. */
async function selected(prefilter: LinePrefilter | undefined, text: string, size: number): Promise<{ lines: string[]; skipped: number }> {
  const select = prefilter && new ByteLineFilter(compilePrefilter(prefilter)!);
  const lines: string[] = [];
  for await (const batch of readLineBatches(split(text, size), select ? { select } : {})) for (const item of batch) lines.push(`${item.line}@${item.offset}`);
  return { lines, skipped: select?.skipped ?? 0 };
}

describe('ByteLineFilter', () => {
  const prefilters: LinePrefilter[] = [
    { serviceNames: ['clusters'] },
    { serviceNames: ['accounts'], statements: [{ serviceNames: ['accounts'], actionContains: ['login'] }] },
    { serviceNames: ['clusters', 'jobs'], statements: [{ serviceNames: ['clusters', 'jobs'], actionNames: ['create'] }] },
    { serviceNames: ['clustersé'] },
    { serviceNames: ['nosuch'] },
    { statements: [{ fields: [{ path: 'userIdentity.email', values: ['a@b.c'] }] }] },
    { statements: [{ fields: [{ path: 'sourceIPAddress', values: ['10.0.0.1', '10.0.0.12'] }] }, { serviceNames: ['accounts'] }] },
  ];

  for (const prefilter of prefilters) {
    it(`keeps the lines the text test keeps for ${JSON.stringify(prefilter)}, under every line break and chunking`, async () => {
      const test = compileLineTest(prefilter)!;
      const wanted = new Set(LINES.flatMap((text, i) => (text.trim() !== '' && test(text) ? [i + 1] : [])));
      const nonBlank = LINES.filter((text) => text.trim() !== '').length;
      for (const [k, text] of TEXTS.entries()) {
        const expected = (await selected(undefined, text, 1 << 20)).lines.filter((item) => wanted.has(Number(item.split('@')[0])));
        for (let size = 1; size <= Buffer.byteLength(text) + 1; size++) {
          assert.deepEqual(await selected(prefilter, text, size), { lines: expected, skipped: nonBlank - expected.length }, `text ${k}, chunk size ${size}`);
        }
      }
    });
  }

  it('reports an over-long line it passes over, as a reader without it does', async () => {
    const long = `{"serviceName":"jobs","pad":"${'x'.repeat(200)}"}`;
    const text = ['{"serviceName":"jobs"}', long, '{"serviceName":"jobs"}', '{"serviceName":"clusters"}', long].join('\n') + '\n';
    const problems = async (select?: ByteLineFilter) => {
      const out: string[] = [];
      for await (const batch of readLineBatches(split(text, 64), { maxLineBytes: 100, ...(select ? { select } : {}) })) for (const item of batch) out.push(`${item.line}:${item.kind}`);
      return out;
    };
    const select = new ByteLineFilter(compilePrefilter({ serviceNames: ['clusters'] })!);
    assert.deepEqual(await problems(select), ['2:problem', '4:line', '5:problem']);
    assert.equal(select.skipped, 2);
    assert.deepEqual((await problems()).filter((item) => item.endsWith('problem')), ['2:problem', '5:problem']);
  });

  describe('reading the service at its key (a prefilter of many services)', () => {
    const services = ['clusters', 'jobs', 'secrets', 'dbfs', 'repos'];
    const prefilter: LinePrefilter = { serviceNames: services, statements: [{ serviceNames: services, actionNames: ['create'] }] };
    const lines = [
      '{"serviceName":"clusters","actionName":"create"}',
      '{"serviceName":"accounts","actionName":"create","note":"clusters"}',
      '{"serviceName" : "clusters","actionName":"create"}',
      '{"requestParams":{"serviceName":"accounts"},"serviceName":"jobs","actionName":"create"}',
      '{"serviceName":"accounts","requestParams":{"serviceName":"jobs"},"actionName":"create"}',
      '{"serviceName":"clu\\"sters","actionName":"create","x":"clusters"}',
      '{"serviceName":"cl\\u0075sters","actionName":"create"}',
      '{"note":"serviceName","serviceName":"jobs","actionName":"create"}',
      '{"actionName":"create","note":"clusters jobs"}',
      '{"serviceName":"dbfs","actionName":"delete"}',
      '{"serviceName":"repos","actionName":"create"',
      '{"serviceName":"clusters","actionName":"delete","note":"create"}',
      '{"serviceName":"clusters","actionName" : "create"}',
      '{"serviceName":"clusters","note":"create"}',
      '{"serviceName":"jobs","actionName":"delete","requestParams":{"actionName":"create"}}',
    ];
    const text = lines.join('\n') + '\n';
    /** Whether the line, parsed as JSON, is a record the statement reads. */
    const reads = (line: string): boolean => {
      try {
        const record = JSON.parse(line) as { serviceName?: unknown; actionName?: unknown };
        return typeof record.serviceName === 'string' && services.includes(record.serviceName) && record.actionName === 'create';
      } catch {
        return false;
      }
    };

    it('keeps every line a statement reads and no line the text test turns away, under every chunking', async () => {
      const test = compileLineTest(prefilter)!;
      for (let size = 1; size <= Buffer.byteLength(text) + 1; size++) {
        const kept = new Set((await selected(prefilter, text, size)).lines.map((item) => Number(item.split('@')[0])));
        lines.forEach((line, i) => {
          if (reads(line)) assert.ok(kept.has(i + 1), `chunk size ${size}: line ${i + 1} is read but was turned away`);
          if (kept.has(i + 1)) assert.ok(test(line), `chunk size ${size}: line ${i + 1} was kept though its text cannot match`);
        });
      }
    });

    it('turns away a line that names a wanted service or action only outside its serviceName and actionName, or has none', async () => {
      const kept = (await selected(prefilter, text, 1 << 20)).lines.map((item) => Number(item.split('@')[0]));
      assert.ok(!kept.includes(2), 'the service named only in a note');
      assert.ok(!kept.includes(9), 'no serviceName at all');
      assert.ok(!kept.includes(10), 'a wanted service with another action');
      assert.ok(!kept.includes(12), 'the wanted action named only in a note');
      assert.ok(!kept.includes(14), 'no actionName at all');
      assert.ok(kept.includes(15), 'a nested actionName may be the one read: kept');
      // Lines it cannot read at the keys are tested on their text: kept.
      for (const line of [3, 6, 7, 8, 13]) assert.ok(kept.includes(line), `line ${line}`);
    });
  });
});
