/** The read thread's protocol: a load plan and a batch of lines cross the channel and come back unchanged. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { LineItem, RawLine } from '../../../src/core/jsonl';
import type { LineIndex } from '../../../src/core/scan/line-index';
import type { AuditFile, AuditSource } from '../../../src/core/sources';
import type { LoadPlan } from '../../../src/core/sql/line-feed';
import type { LinePrefilter } from '../../../src/core/sql/pushdown';
import { decodePlan, encodePlan, packBatch, unpackBatch, type EncodedPlan } from '../../../src/worker/read/protocol';

/** A small seeded generator, so a failing plan can be made again. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function aSource(uri: string): AuditSource {
  const refuse = (): never => {
    throw new Error('a plan is encoded and decoded without listing or reading');
  };
  return { uri, kind: uri.startsWith('gs://') ? 'gcs' : 'local', listWorkspaces: refuse, listDates: refuse, listPartitionFiles: refuse, listFiles: refuse, openRead: refuse };
}

function aPlan(seed: number): { plan: LoadPlan; sources: Map<string, AuditSource> } {
  const next = random(seed);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(next() * values.length)]!;
  const sources = new Map<string, AuditSource>();
  for (let i = 0, count = 1 + Math.floor(next() * 3); i < count; i++) {
    const uri = next() < 0.5 ? `gs://bucket-${seed}/logs/${i}` : `/data/${seed}/logs-${i}`;
    sources.set(uri, aSource(uri));
  }
  const files = Array.from({ length: Math.floor(next() * 6) }, (_, i) => {
    const source = pick([...sources.values()]);
    const file: AuditFile = {
      sourceUri: source.uri,
      uri: `${source.uri}/workspaceId=${i}/date=2024-01-0${1 + (i % 9)}/auditlogs_${i}.json`,
      relativePath: `workspaceId=${i}/date=2024-01-0${1 + (i % 9)}/auditlogs_${i}.json`,
      workspaceId: String(i),
      date: `2024-01-0${1 + (i % 9)}`,
      size: Math.floor(next() * 1e9),
      version: String(Math.floor(next() * 1e6)),
      ...(next() < 0.5 ? { updated: Math.floor(next() * 1.7e12) } : {}),
    };
    return { source, file };
  });
  const prefilter: LinePrefilter | undefined = next() < 0.6 ? { serviceNames: ['clusters', pick(['jobs', 'accounts'])], ...(next() < 0.5 ? { statements: [{ serviceNames: ['clusters'], actionNames: ['create'] }] } : {}) } : undefined;
  const indexes = new Map<number, LineIndex>();
  files.forEach((_, position) => {
    if (next() < 0.5) indexes.set(position, { lines: Math.floor(next() * 1000), groups: { '*': 'AQID', [JSON.stringify(['clusters', 'create'])]: 'BAUG' } });
  });
  const plan: LoadPlan = {
    files,
    sourceOptions: { ...(next() < 0.5 ? { gcsEndpoint: 'http://127.0.0.1:4443' } : {}), ...(next() < 0.5 ? { gcs: { idleTimeoutMs: 1000, listTimeoutMs: 2000 } } : {}) },
    ...(prefilter ? { prefilter, indexes } : {}),
    ...(next() < 0.5 ? { maxLineBytes: Math.floor(next() * 1e6) } : {}),
    ...(next() < 0.5 ? { concurrency: 1 + Math.floor(next() * 8) } : {}),
  };
  return { plan, sources };
}

describe('the load plan across the thread boundary', () => {
  it('comes back unchanged from encode, the channel and decode, whatever the plan holds', async () => {
    for (let seed = 1; seed <= 200; seed++) {
      const { plan, sources } = aPlan(seed);
      // What the channel does to a message: a structured clone.
      const crossed: EncodedPlan = structuredClone(encodePlan(plan));
      const opened: string[] = [];
      const decoded = await decodePlan(crossed, async (uri, options) => {
        opened.push(uri);
        assert.deepEqual(options, plan.sourceOptions, `seed ${seed}: each source opens as the session opened it`);
        return sources.get(uri)!;
      });
      assert.deepEqual(decoded, plan, `seed ${seed}`);
      decoded.files.forEach(({ source }, i) => assert.equal(source, plan.files[i]!.source, `seed ${seed}: file ${i} reads from its own source`));
      assert.deepEqual(opened.sort(), [...new Set(plan.files.map(({ source }) => source.uri))].sort(), `seed ${seed}: each source of the plan is opened once`);
    }
  });

  it('names each source once however many files it lists', () => {
    const source = aSource('gs://bucket/logs');
    const file = (i: number): AuditFile => ({ sourceUri: source.uri, uri: `gs://bucket/logs/${i}.json`, relativePath: `${i}.json`, workspaceId: '1', date: '2024-01-01', size: i, version: '1' });
    const encoded = encodePlan({ files: [0, 1, 2].map((i) => ({ source, file: file(i) })), sourceOptions: {} });
    assert.deepEqual(encoded.sources, ['gs://bucket/logs']);
    assert.deepEqual(encoded.files.map(({ source }) => source), [0, 0, 0]);
  });
});

describe('a batch of lines across the thread boundary', () => {
  function aBatch(seed: number): LineItem[] {
    const next = random(seed);
    let offset = 0;
    return Array.from({ length: Math.floor(next() * 40) }, (_, i): LineItem => {
      const line = i + 1;
      const at = offset;
      offset += 10 + Math.floor(next() * 5000);
      if (next() < 0.2) return { kind: 'problem', line, offset: at, reason: 'line is not valid UTF-8', preview: `bad ${i}` };
      const text = JSON.stringify({ serviceName: 'clusters', i, note: 'é'.repeat(Math.floor(next() * 4)) });
      return next() < 0.5 ? { kind: 'line', line, offset: at, text } : { kind: 'line', line, offset: at, text, bytes: Buffer.from(text) };
    });
  }

  const outline = (items: LineItem[]) => items.map((item) => (item.kind === 'problem' ? item : { line: item.line, offset: item.offset, text: item.text, jsonb: item.jsonb ? [...item.jsonb] : undefined }));

  it('gives back each line, problem, number and offset it packed, moved rather than copied', () => {
    for (let seed = 1; seed <= 100; seed++) {
      const batch = aBatch(seed);
      const { packed, transfer } = packBatch(batch);
      const crossed = structuredClone(packed, { transfer });
      assert.equal(packed.line.byteLength, 0, 'the columns were moved');
      assert.deepEqual(outline(unpackBatch(crossed)), outline(batch), `seed ${seed}`);
    }
  });

  it('gives back the JSONB of the lines a converter converted, and the text of the others', () => {
    const batch = aBatch(7).filter((item): item is RawLine => item.kind === 'line');
    // Lines with an accent are the ones "converted", to a JSONB standing for their length.
    const accented = (text: string): boolean => text.includes('é');
    const convert = (text: Uint8Array): Uint8Array | undefined => (text.includes(0xc3) ? Uint8Array.from([text.length & 0xff, 1, 2]) : undefined);
    const { packed, transfer } = packBatch(batch, convert);
    const items = unpackBatch(structuredClone(packed, { transfer }));
    assert.ok(batch.some((item) => accented(item.text)) && batch.some((item) => !accented(item.text)), 'the batch holds lines of both kinds');
    assert.equal(items.length, batch.length);
    items.forEach((item, i) => {
      const { text } = batch[i]!;
      assert.ok(item.kind === 'line');
      if (accented(text)) assert.deepEqual([...item.jsonb!], [Buffer.byteLength(text) & 0xff, 1, 2]);
      else assert.equal(item.text, text);
    });
  });
});
