/**
 * Benchmark (`npm run bench [-- --records N] [--seed S] [--repeat R]`): generates a deterministic
 * delivery tree in the system temp folder (reused when it already exists), then prints in one run
 * the floor (read + split + JSON.parse of the same files), the load into sql.js through
 * QuerySession, the three example queries, the loads pushed down for each query and for all three
 * (analyze) — checked to answer the same — and each as a ratio to the floor. No thresholds.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { exampleAnalyses } from '../src/core/analyses';
import { generateTree, type GenerateOptions } from '../src/core/generate';
import { LocalFolderSource } from '../src/core/sources';
import { derivePrefilter, type LinePrefilter } from '../src/core/sql/pushdown';
import { QuerySession } from '../src/core/sql/session';

const { values } = parseArgs({
  options: {
    records: { type: 'string', default: '200000' },
    seed: { type: 'string', default: 'bench' },
    repeat: { type: 'string', default: '1' },
    workspaces: { type: 'string', default: '4' },
    days: { type: 'string', default: '30' },
    'generate-only': { type: 'boolean', default: false },
  },
});

function positive(name: string, text: string): number {
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    console.error(`--${name} '${text}' is not a positive whole number`);
    process.exit(2);
  }
  return Number(text);
}

const records = positive('records', values.records);
const repeat = positive('repeat', values.repeat);
const workspaces = positive('workspaces', values.workspaces);
const days = positive('days', values.days);
const options: GenerateOptions = {
  seed: values.seed,
  workspaces,
  days,
  startDate: '2024-04-01',
  recordsPerDay: Math.max(1, Math.round(records / (days * (workspaces + 0.15)))),
};
const root = path.resolve(__dirname, '..');
/** Generated trees are cached outside the repository, in the user's cache folder, and made once. */
const cacheRoot = path.join(process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache'), 'audit-lens-bench');
const folder = path.join(cacheRoot, `${values.seed}-${workspaces}x${days}-${options.recordsPerDay}`);

function ms(value: number): string {
  return value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const start = performance.now();
  const value = await work();
  return { ms: performance.now() - start, value };
}

async function ensureTree(): Promise<{ records: number; files: number; bytes: number }> {
  const marker = path.join(folder, 'bench-summary.json');
  if (existsSync(marker)) return JSON.parse(await readFile(marker, 'utf8')) as { records: number; files: number; bytes: number };
  await rm(folder, { recursive: true, force: true });
  const { ms: took, value: summary } = await timed(() => generateTree(folder, options));
  console.log(`generated in ${ms(took)}`);
  await writeFile(marker, JSON.stringify(summary));
  return summary;
}

/** The JavaScript floor: read every file whole, split into lines, JSON.parse each. */
async function floor(paths: string[]): Promise<number> {
  let parsed = 0;
  for (const file of paths) {
    const text = await readFile(file, 'utf8');
    for (const line of text.split('\n')) {
      if (line.length > 0) {
        JSON.parse(line);
        parsed++;
      }
    }
  }
  return parsed;
}

async function main(): Promise<void> {
  const tree = await ensureTree();
  console.log(`tree: ${folder}`);
  if (values['generate-only']) return;
  console.log(`      ${tree.records} records, ${tree.files} files, ${(tree.bytes / 1048576).toFixed(1)} MiB`);
  const files = await new LocalFolderSource(folder).listFiles();
  const paths = files.map((f) => f.uri);

  const floorSamples: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const { ms: took, value: parsed } = await timed(() => floor(paths));
    if (parsed !== tree.records) throw new Error(`floor parsed ${parsed} records, expected ${tree.records}`);
    floorSamples.push(took);
  }
  const floorMs = median(floorSamples);
  const rows: [string, number, string][] = [['floor: read + split + JSON.parse', floorMs, '']];

  const openSession = () => QuerySession.open({ workerPath: path.join(root, 'dist/worker.js'), maxRows: Math.max(2_000_000, Math.ceil(tree.records * 1.1)) });
  const session = await openSession();
  try {
    const loadSamples: number[] = [];
    for (let i = 0; i < repeat; i++) {
      const { ms: took, value: summary } = await timed(() => session.load({ sources: [folder] }));
      if (summary.recordsLoaded !== tree.records) throw new Error(`loaded ${summary.recordsLoaded} records, expected ${tree.records}`);
      loadSamples.push(took);
    }
    rows.push(['load into sql.js (QuerySession)', median(loadSamples), '']);
    const answers = new Map<string, string>();
    for (const analysis of exampleAnalyses) {
      const samples: number[] = [];
      let rowCount = 0;
      for (let i = 0; i < repeat; i++) {
        const { ms: took, value: result } = await timed(() => session.query(analysis.sql, { maxRows: 1_000_000 }));
        samples.push(took);
        rowCount = result.rowCount;
        answers.set(analysis.sql, JSON.stringify(result.rows));
      }
      rows.push([`query: ${analysis.title}`, median(samples), `${rowCount} rows`]);
    }

    /**
     * Loads with the prefilter of `sqls` into a fresh session, as the CLI does (replacing a big
     * load would also time freeing it), then checks each query answers as over the whole load.
     */
    const pushedDown = async (label: string, sqls: string[]): Promise<void> => {
      const prefilter: LinePrefilter | undefined = derivePrefilter(sqls);
      if (!prefilter) throw new Error(`no prefilter for ${label}`);
      const samples: number[] = [];
      let note = '';
      for (let i = 0; i < repeat; i++) {
        const fresh = await openSession();
        try {
          const { ms: took, value: summary } = await timed(() => fresh.load({ sources: [folder], prefilter }));
          samples.push(took);
          note = `${summary.recordsLoaded} of ${summary.linesRead} lines loaded (${((100 * summary.recordsLoaded) / summary.linesRead).toFixed(1)}%)`;
          for (const sql of sqls) {
            const result = await fresh.query(sql, { maxRows: 1_000_000 });
            if (JSON.stringify(result.rows) !== answers.get(sql)) throw new Error(`the pushed-down load answers differently: ${sql}`);
          }
        } finally {
          await fresh.dispose();
        }
      }
      rows.push([`load pushed down: ${label}`, median(samples), note]);
    };
    for (const analysis of exampleAnalyses) await pushedDown(analysis.title, [analysis.sql]);
    await pushedDown('analyze (all three)', exampleAnalyses.map((a) => a.sql));
  } finally {
    await session.dispose();
  }

  const width = Math.max(...rows.map(([label]) => label.length));
  console.log(`\n${'step'.padEnd(width)}  ${'time'.padStart(9)}  ${'× floor'.padStart(8)}`);
  for (const [label, took, note] of rows) {
    console.log(`${label.padEnd(width)}  ${ms(took).padStart(9)}  ${(took / floorMs).toFixed(2).padStart(8)}  ${note}`.trimEnd());
  }
  console.log(`\n(median of ${repeat} run${repeat === 1 ? '' : 's'}; Node ${process.version})`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
