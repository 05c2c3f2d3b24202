/**
 * The detection library over real query sessions and generated delivery trees: every detection
 * fires on a tree where the generator planted its case (amid background activity) and finds
 * nothing in a tree holding only its planted near miss. Each detection's declared services match
 * what its SQL filters on, and loading only those services gives the same answer as loading all.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { analyses, detectionPrefilter, detectionPushdown, detections, SEVERITIES, type Detection } from '../../../src/core/analyses';
import { lex, significant, type Token } from '../../../src/core/sql/dialect';
import { QuerySession } from '../../../src/worker/query/client';
import { generateTree, PLANTED_CASES, plantedActor, type GenerateOptions } from '../../support/generate';
import { QUERY_WORKER_BUNDLE } from '../../support/workers';

const workerPath = QUERY_WORKER_BUNDLE;
const base: GenerateOptions = { seed: 'detections', workspaces: 2, days: 2, startDate: '2024-01-15', recordsPerDay: 80 };

async function tempTree(options: GenerateOptions): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'audit-lens-detections-'));
  await generateTree(dir, options);
  return dir;
}

// --- What a detection's SQL constrains serviceName to, read from its tokens ---

const lower = (t: Token | undefined) => (t?.kind === 'word' ? t.text.toLowerCase() : undefined);
const isOpen = (t: Token | undefined) => t?.kind === 'punct' && t.text === '(';
const isClose = (t: Token | undefined) => t?.kind === 'punct' && t.text === ')';
const literal = (t: Token) => (t.kind === 'string' || t.kind === 'dquoted' ? t.text.slice(1, -1).replace(/''/g, "'") : undefined);

/** Splits at a keyword outside parentheses. */
function splitAt(tokens: readonly Token[], keyword: string): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (const t of tokens) {
    if (isOpen(t)) depth++;
    if (isClose(t)) depth--;
    if (depth === 0 && lower(t) === keyword) parts.push([]);
    else parts[parts.length - 1]!.push(t);
  }
  return parts;
}

function unwrap(tokens: Token[]): Token[] {
  if (!isOpen(tokens[0]) || !isClose(tokens[tokens.length - 1])) return tokens;
  let depth = 0;
  for (let i = 0; i < tokens.length - 1; i++) {
    if (isOpen(tokens[i])) depth++;
    if (isClose(tokens[i])) depth--;
    if (depth === 0) return tokens;
  }
  return unwrap(tokens.slice(1, -1));
}

/** The services a boolean expression admits, or undefined when some branch admits any service. */
function admittedServices(expression: Token[]): Set<string> | undefined {
  const tokens = unwrap(expression);
  const branches = splitAt(tokens, 'or');
  if (branches.length > 1) {
    const union = new Set<string>();
    for (const branch of branches) {
      const services = admittedServices(branch);
      if (!services) return undefined;
      services.forEach((s) => union.add(s));
    }
    return union;
  }
  for (const conjunct of splitAt(tokens, 'and')) {
    const [name, op, ...rest] = unwrap(conjunct);
    if (lower(name) === 'servicename' && op?.kind === 'operator' && op.text === '=' && rest.length === 1) return new Set([literal(rest[0]!)!]);
    if (lower(name) === 'servicename' && lower(op) === 'in') return new Set(rest.map(literal).filter((s): s is string => s !== undefined));
    if (isOpen(conjunct[0])) {
      const nested = admittedServices(conjunct);
      if (nested) return nested;
    }
  }
  return undefined;
}

function whereClause(sql: string): Token[] {
  const tokens = significant(lex(sql, { backslashEscapes: true }));
  const start = tokens.findIndex((t) => lower(t) === 'where');
  assert.ok(start >= 0, 'no WHERE clause');
  const end = tokens.findIndex((t, i) => i > start && ['group', 'having', 'order', 'limit'].includes(lower(t) ?? ''));
  return tokens.slice(start + 1, end < 0 ? undefined : end);
}

describe('detection metadata', () => {
  it('every detection has a kebab-case id, a severity, a title, a question, a rationale, services and a planted case', () => {
    assert.ok(detections.length >= 20, `${detections.length} detections`);
    assert.equal(new Set(analyses.map((a) => a.id)).size, analyses.length, 'ids are unique');
    for (const d of detections) {
      assert.match(d.id, /^[a-z0-9]+(-[a-z0-9]+)*$/, d.id);
      assert.ok((SEVERITIES as readonly string[]).includes(d.severity), `${d.id}: ${d.severity}`);
      assert.ok(d.title && d.question && d.rationale && d.sql, d.id);
      assert.ok(d.services.length > 0, d.id);
    }
    assert.deepEqual(Object.keys(PLANTED_CASES).sort(), detections.map((d) => d.id).sort());
  });

  it('the README lists every detection with its severity', () => {
    const readme = readFileSync(path.resolve(__dirname, '../../../docs/detections.md'), 'utf8');
    const listed = [...readme.matchAll(/^\| `([a-z0-9-]+)` \| (high|medium|low|info) \|/gm)].map((m) => [m[1], m[2]]);
    assert.deepEqual(listed, detections.map((d) => [d.id, d.severity]));
  });

  for (const d of detections) {
    it(`${d.id} declares exactly the services its SQL filters on, in every branch`, () => {
      const admitted = admittedServices(whereClause(d.sql));
      assert.ok(admitted, `${d.id}: a branch of its WHERE clause does not filter on serviceName`);
      assert.deepEqual([...admitted].sort(), [...d.services].sort());
    });
  }
});

describe('detections over generated trees', () => {
  let firesTree: string;
  const quietTrees = new Map<string, string>();
  let full: QuerySession;
  let narrow: QuerySession;

  before(async () => {
    assert.ok(existsSync(workerPath), `${workerPath} is missing: run npm run build`);
    firesTree = await tempTree({ ...base, plant: detections.map((d) => ({ detection: d.id, fires: true })) });
    for (const d of detections) quietTrees.set(d.id, await tempTree({ ...base, background: false, plant: [{ detection: d.id, fires: false }] }));
    full = await QuerySession.open({ workerPath });
    narrow = await QuerySession.open({ workerPath });
    const summary = await full.load({ sources: [firesTree] });
    assert.ok(summary.recordsLoaded > 200, `${summary.recordsLoaded} records`);
  });

  after(async () => {
    await full?.dispose();
    await narrow?.dispose();
    await Promise.all([firesTree, ...quietTrees.values()].filter(Boolean).map((dir) => rm(dir, { recursive: true, force: true })));
  });

  it('runs every library entry without error', async () => {
    for (const entry of analyses) {
      const result = await full.query(entry.sql);
      assert.ok(result.columns.length > 0, entry.id);
    }
  });

  const runOn = async (session: QuerySession, d: Detection) => session.query(d.sql, { maxRows: 100_000 });

  for (const d of detections) {
    it(`${d.id} fires where its case is planted, with the same rows when only its services load`, async () => {
      const result = await runOn(full, d);
      const text = JSON.stringify(result.rows);
      assert.ok(text.includes(plantedActor(d.id, true)), `${d.id} did not fire on its planted case:\n${text.slice(0, 500)}`);
      const loaded = await narrow.load({ sources: [firesTree], prefilter: detectionPrefilter([d]) });
      assert.ok(loaded.recordsLoaded > 0);
      assert.deepEqual((await runOn(narrow, d)).rows, result.rows);
    });

    it(`${d.id} finds nothing in a tree holding only its near miss`, async () => {
      const loaded = await narrow.load({ sources: [quietTrees.get(d.id)!] });
      assert.ok(loaded.recordsLoaded > 0, 'the near miss was planted');
      const result = await runOn(narrow, d);
      assert.equal(result.rowCount, 0, `${d.id} fired on its near miss:\n${JSON.stringify(result.rows).slice(0, 500)}`);
    });
  }

  it('the whole library, loaded once for all of them (the lines and fields they read), finds the same rows as over every line', async () => {
    const pushdown = detectionPushdown(detections);
    const byServices = await narrow.load({ sources: [firesTree], prefilter: { serviceNames: [...new Set(detections.flatMap((d) => d.services))] } });
    const loaded = await narrow.load({ sources: [firesTree], ...pushdown });
    assert.ok(loaded.recordsLoaded < byServices.recordsLoaded, `${loaded.recordsLoaded} records loaded for the detections' actions, ${byServices.recordsLoaded} for their services`);
    for (const d of detections) assert.deepEqual((await runOn(narrow, d)).rows, (await runOn(full, d)).rows, d.id);
  });

  it('row-level detections return _file and _line so a hit opens its raw line', async () => {
    const result = await full.query(detections.find((d) => d.id === 'mounts')!.sql);
    const file = result.columns.indexOf('_file');
    const line = result.columns.indexOf('_line');
    assert.ok(file >= 0 && line >= 0);
    assert.ok(String(result.rows[0]![file]).startsWith(firesTree));
    assert.equal(typeof result.rows[0]![line], 'number');
  });
});
