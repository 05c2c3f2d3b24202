/**
 * The read side of a load: the selected files' lines, file by file in order, as the loader
 * inserts them. A file with a line index (and a prefilter) is read only where its wanted lines
 * are; any other file streams through the read-ahead (or, local and not too big under a
 * prefilter, is read whole at once), its lines turned away on their raw bytes when a prefilter
 * says they cannot match, and a line the bytes let through is parsed once more and dropped when
 * its top-level names (as its index would have) or the fields filtered on show it cannot match.
 * Lines that only SQLite can judge (escapes, repeated keys, not records) always come through.
 * A batch's line bytes are valid until the next batch is asked for (their text stays valid).
 *
 * Reading is independent of the inserts, so a session may run it in another thread (see the
 * worker layer); this is the same work on the caller's thread.
 */
import { AuditLensError, throwIfCancelled } from '../errors';
import { readLineBatches, type LineItem } from '../jsonl';
import { readIndexedLines, ScratchBuffer } from '../scan/indexed-read';
import { ALWAYS_READ, groupOf, selectLines, type LineIndex } from '../scan/line-index';
import { DEFAULT_CONCURRENCY } from '../scan/concurrency';
import { readAhead, type ReadAheadItem } from '../scan/read-ahead';
import type { AuditFile, AuditSource, GcsTimeouts } from '../sources';
import { compilePrefilter, type CompiledPrefilter, type LinePrefilter } from './pushdown';
import { ByteLineFilter } from './pushdown/byte-filter';
import { fieldText } from './pushdown/record-fields';

export interface FeedFile {
  source: AuditSource;
  file: AuditFile;
}

export interface LoadPlan {
  files: readonly FeedFile[];
  /** How the sources were opened: another thread opens them again the same way. */
  sourceOptions: { gcsEndpoint?: string; gcs?: GcsTimeouts };
  /** Lines no statement can read are passed over (see pushdown). */
  prefilter?: LinePrefilter;
  /** Line indexes by position in `files`; used only with a prefilter. */
  indexes?: ReadonlyMap<number, LineIndex>;
  maxLineBytes?: number;
  /** Files read ahead while earlier ones are consumed (default: several for GCS, one locally). */
  concurrency?: number;
}

export interface FileLines {
  /** Position of the file in the plan. */
  position: number;
  /** Its lines; read errors of the file (vanished, changed, network) surface here. */
  batches: AsyncIterable<LineItem[]>;
  /** Once `batches` is done: non-blank lines passed over unparsed by the prefilter or the index. */
  passedOver(): number;
  /** Whether the file was read only where its line index says wanted lines are. */
  readonly byIndex: boolean;
}

/**
 * Yields each file of the plan in order. Take a file's batches whole (or stop the feed) before
 * asking for the next file; a file whose batches failed does not stop the feed.
 */
export type LineReader = (plan: LoadPlan, signal?: AbortSignal) => AsyncIterable<FileLines>;

/** Reads on the caller's thread. */
export const readLinesHere: LineReader = async function* (plan, signal) {
  const prefilter = plan.prefilter ? compilePrefilter(plan.prefilter) : undefined;
  const indexes = prefilter ? (plan.indexes ?? new Map<number, LineIndex>()) : new Map<number, LineIndex>();
  const readWhole = (position: number, { source, file }: FeedFile) => prefilter !== undefined && !indexes.has(position) && source.kind === 'local' && file.size <= WHOLE_READ_MAX_BYTES;
  const streamed = plan.files.filter((feedFile, position) => !indexes.has(position) && !readWhole(position, feedFile));
  const sourceOf = new Map(streamed.map(({ source, file }) => [file, source]));
  const concurrency = plan.concurrency ?? (streamed.some(({ source }) => source.kind === 'gcs') ? DEFAULT_CONCURRENCY : 1);
  const scratch = new ScratchBuffer();
  // One check for the whole feed: what it learns of how often it pays holds for every file.
  const names = prefilter && new NameCheck(prefilter);
  const reads = readAhead((file) => sourceOf.get(file)!, [...sourceOf.keys()], { concurrency, signal })[Symbol.asyncIterator]();
  try {
    for (const [position, { source, file }] of plan.files.entries()) {
      throwIfCancelled(signal);
      const index = indexes.get(position);
      if (index && prefilter) {
        const wanted = selectLines(index, prefilter.namesMatch);
        yield { position, byIndex: true, batches: readIndexedLines(source, file, wanted, { signal, scratch }), passedOver: () => index.lines - wanted.length };
        continue;
      }
      const filter = prefilter && new ByteLineFilter(prefilter);
      // The files before are done: what the check drops from here on is this file's.
      const droppedBefore = names?.dropped ?? 0;
      const whole = readWhole(position, { source, file });
      async function* batches(): AsyncGenerator<LineItem[]> {
        const chunks = whole ? inSlices(source.openRead(file, { signal, range: { start: 0, end: file.size }, scratch: scratch.take(file.size) })) : await nextChunks(reads, file);
        const lines = readLineBatches(chunks, { maxLineBytes: plan.maxLineBytes, signal, keepBytes: true, ...(filter ? { select: filter } : {}) });
        for await (const batch of lines) yield names ? names.keep(batch) : batch;
      }
      yield { position, byIndex: false, batches: batches(), passedOver: () => (filter?.skipped ?? 0) + (names ? names.dropped - droppedBefore : 0) };
    }
  } finally {
    // Stops the downloads still reading ahead when the feed ends early.
    void reads.return?.(undefined);
  }
};

/**
 * The index's test for a line the raw bytes let through: a record whose names the scan would
 * have grouped (see `groupOf`) and the prefilter does not want, by its names or by the fields it
 * filters on, is dropped. Anything else passes,
 * for the loader to insert or report as before. Parsing costs about a fifth of inserting a row:
 * when the first lines show that it almost never drops one, it stops checking.
 */
class NameCheck {
  dropped = 0;
  private checked = 0;
  private checking = true;
  constructor(private readonly prefilter: CompiledPrefilter) {}

  keep(batch: LineItem[]): LineItem[] {
    if (!this.checking) return batch;
    const kept = batch.filter((item) => item.kind === 'problem' || this.mayMatch(item.text));
    this.dropped += batch.length - kept.length;
    this.checked += batch.length;
    if (this.checked >= NAME_CHECK_TRIAL_LINES && this.dropped < this.checked * NAME_CHECK_WORTHWHILE_SHARE) this.checking = false;
    return kept;
  }

  private mayMatch(text: string): boolean {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      return true;
    }
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return true;
    const record = value as Record<string, unknown>;
    if (groupOf(text, record) === ALWAYS_READ) return true;
    return this.prefilter.recordMatches(record.serviceName as string, (record.actionName ?? null) as string | null, (path) => fieldText(text, record, path));
  }
}

/**
 * Local files up to this size are read whole when a prefilter reads them: one positioned read of
 * the listed size into memory reused from file to file, instead of a stream's chunks (about half
 * the work of a load whose filter lets few lines through).
 */
const WHOLE_READ_MAX_BYTES = 64 * 1024 * 1024;

/** Views of a whole file's bytes as a stream's chunks would be, so a batch of lines stays as small as a stream's. */
async function* inSlices(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  for await (const chunk of chunks) for (let at = 0; at < chunk.length; at += WHOLE_READ_SLICE_BYTES) yield chunk.subarray(at, at + WHOLE_READ_SLICE_BYTES);
}

const WHOLE_READ_SLICE_BYTES = 1024 * 1024;

/** Lines checked before deciding whether checking pays. */
const NAME_CHECK_TRIAL_LINES = 2000;
/** Below this share of lines dropped, checking costs more than the rows it spares. */
const NAME_CHECK_WORTHWHILE_SHARE = 0.1;

/** The next file's bytes from the read-ahead, which yields the streamed files in order. */
async function nextChunks(reads: AsyncIterator<ReadAheadItem>, file: AuditFile): Promise<AsyncIterable<Uint8Array>> {
  const next = await reads.next();
  if (next.done || next.value.file !== file) throw new AuditLensError('internal', `The read-ahead is out of step at ${file.uri}.`);
  return next.value.chunks;
}
