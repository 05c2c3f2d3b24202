/**
 * Writes a generated delivery tree:
 *   node --import tsx scripts/generate.ts --out DIR [--records N] [--seed S] [--workspaces N]
 *     [--days N] [--start YYYY-MM-DD] [--prefix P]
 *   node --import tsx scripts/generate.ts --sample     (rewrites samples/bucket)
 */
import { rm } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { generateTree, SAMPLE_BUCKET_OPTIONS, type GenerateOptions } from '../test/support/generate';

const { values } = parseArgs({
  options: {
    out: { type: 'string' },
    records: { type: 'string' },
    seed: { type: 'string' },
    workspaces: { type: 'string' },
    days: { type: 'string' },
    start: { type: 'string' },
    prefix: { type: 'string' },
    sample: { type: 'boolean' },
  },
});

function integer(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  if (!/^\d+$/.test(text) || Number(text) < 1) {
    console.error(`--${name} '${text}' is not a positive whole number`);
    process.exit(2);
  }
  return Number(text);
}

/** Records per workspace and day that give about `records` in total (the account partition gets 0.15 of a workspace). */
function recordsPerDayFor(records: number, workspaces: number, days: number): number {
  return Math.max(1, Math.round(records / (days * (workspaces + 0.15))));
}

async function run(): Promise<void> {
  let out: string;
  let options: GenerateOptions;
  if (values.sample) {
    out = 'samples/bucket';
    options = SAMPLE_BUCKET_OPTIONS;
    await rm(out, { recursive: true, force: true });
  } else {
    if (!values.out) {
      console.error('usage: scripts/generate.ts --out DIR [--records N] [--seed S] [--workspaces N] [--days N] [--start YYYY-MM-DD] [--prefix P] | --sample');
      process.exit(2);
    }
    out = values.out;
    const workspaces = integer('workspaces', values.workspaces, 3);
    const days = integer('days', values.days, 7);
    options = {
      seed: values.seed ?? '1',
      workspaces,
      days,
      startDate: values.start,
      recordsPerDay: recordsPerDayFor(integer('records', values.records, 10_000), workspaces, days),
      prefix: values.prefix,
    };
  }
  const summary = await generateTree(out, options);
  console.log(`${out}: ${summary.records} records in ${summary.files} files (${summary.partitions} partitions, ${(summary.bytes / 1048576).toFixed(1)} MiB)`);
}

run().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
