/**
 * About how many bytes of a load's lines a prefilter keeps, from a sample: a few local files
 * spread over the listing, their first bytes read now and filtered as the load will filter them.
 * The load reserves the room those lines fill in one step: sql.js's file otherwise grows by an
 * eighth at a time, copied whole at each step (about 8 copies of the final database in all).
 */
import { readLineBatches } from '../jsonl';
import type { AuditFile, AuditSource } from '../sources';
import type { FeedFile } from './line-feed';
import type { CompiledPrefilter } from './pushdown';
import { ByteLineFilter } from './pushdown/byte-filter';

const SAMPLED_FILES = 4;
const SAMPLE_BYTES = 4 * 1024 ** 2;

/** The kept share of the bytes read from up to four local files, or undefined when none could be read. */
export async function sampleKeptShare(files: readonly FeedFile[], prefilter: CompiledPrefilter): Promise<number | undefined> {
  const local = files.filter(({ source, file }) => source.kind === 'local' && file.size > 0);
  if (local.length === 0) return undefined;
  const picked = [...new Set(Array.from({ length: SAMPLED_FILES }, (_, k) => Math.floor((k * (local.length - 1)) / Math.max(1, SAMPLED_FILES - 1))))].map((k) => local[k]!);
  let read = 0;
  let kept = 0;
  for (const { source, file } of picked) {
    const bytes = await firstBytes(source, file, Math.min(file.size, SAMPLE_BYTES));
    if (!bytes) continue;
    // Only whole lines count: the last one may be cut by the sample's end.
    const whole = bytes.subarray(0, bytes.lastIndexOf(0x0a) + 1);
    read += whole.length;
    const select = new ByteLineFilter(prefilter);
    for await (const batch of readLineBatches(once(whole), { select, keepBytes: true })) {
      for (const item of batch) if (item.kind === 'line') kept += (item.bytes?.length ?? Buffer.byteLength(item.text)) + 1;
    }
  }
  return read === 0 ? undefined : kept / read;
}

async function firstBytes(source: AuditSource, file: AuditFile, length: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of source.openRead(file, { range: { start: 0, end: length } })) chunks.push(Buffer.from(chunk));
  } catch {
    // A file that cannot be read now is reported by the load itself.
    return undefined;
  }
  return Buffer.concat(chunks);
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
