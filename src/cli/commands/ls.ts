/**
 * `audit-lens ls`: the workspaces and dates of each source, with their files and sizes. The listing
 * is written one workspace at a time as it is read, so a tree of any width is listed in the memory
 * of one workspace.
 */
import type { Writable } from 'node:stream';
import { openSource, type AuditSource } from '../../core/sources';
import type { PartitionFilter } from '../../core/layout';
import { listSelectedWorkspaces, listWorkspacePartitions } from '../../core/sources/partitions';
import { describeSkipped, type Skipped } from '../../core/sources/skipped';
import { formatListingNotes } from '../problems';
import { usageError } from '../args';
import type { CliArgs, CliCommand, CliIo } from '../command';
import { write } from '../output';
import { EXIT_OK } from '../report';
import { SOURCE_USAGE, SOURCE_VALUE_OPTIONS, sourceSelection } from '../sourceOptions';
import { formatBytes } from '../../shared/text/quantities';

const HINT = "Run 'audit-lens ls --help' for usage.";

interface DateEntry {
  date: string;
  files: { path: string; size: number }[];
  bytes: number;
}

interface WorkspaceEntry {
  workspaceId: string;
  level: 'account' | 'workspace';
  dates: DateEntry[];
}

/** How a listing is written: a table or a JSON document, each part as soon as it is known. */
interface ListingWriter {
  begin(source: string, workspaceIds: readonly string[]): Promise<void>;
  workspace(entry: WorkspaceEntry): Promise<void>;
  end(totals: { workspaces: number; files: number; bytes: number }): Promise<void>;
  finish(notes: readonly string[]): Promise<void>;
}


const workspaceCell = (id: string): string => (id === '0' ? '0 (account)' : id);
/** Right-aligned columns of a fixed width: every row is written before the widest one is known. */
const FILES_WIDTH = 5;
const SIZE_WIDTH = 10;

function tableWriter(out: Writable): ListingWriter {
  let widths: number[] = [];
  let sources = 0;
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd() + '\n';
  return {
    async begin(source, workspaceIds) {
      let idWidth = 'workspace'.length;
      for (const id of workspaceIds) idWidth = Math.max(idWidth, workspaceCell(id).length);
      widths = [idWidth, 'yyyy-mm-dd'.length, FILES_WIDTH, SIZE_WIDTH];
      await write(out, `${sources++ > 0 ? '\n' : ''}${source}\n${line(['workspace', 'date', 'files', 'size'])}${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
    },
    async workspace(entry) {
      await write(out, entry.dates.map((d) => line([workspaceCell(entry.workspaceId), d.date, String(d.files.length), formatBytes(d.bytes)])).join(''));
    },
    async end({ workspaces, files, bytes }) {
      await write(out, `${workspaces} ${workspaces === 1 ? 'workspace' : 'workspaces'}, ${files} ${files === 1 ? 'file' : 'files'}, ${formatBytes(bytes)}\n`);
    },
    async finish() {},
  };
}

function jsonWriter(out: Writable): ListingWriter {
  let sources = 0;
  let workspaces = 0;
  return {
    async begin(source) {
      workspaces = 0;
      await write(out, `${sources++ === 0 ? '{"sources":[' : ','}{"source":${JSON.stringify(source)},"workspaces":[`);
    },
    async workspace(entry) {
      await write(out, (workspaces++ > 0 ? ',' : '') + JSON.stringify(entry));
    },
    async end({ files, bytes }) {
      await write(out, `],"files":${files},"bytes":${bytes}}`);
    },
    async finish(notes) {
      await write(out, `${sources === 0 ? '{"sources":[' : ''}],"notes":${JSON.stringify(notes)}}\n`);
    },
  };
}

/** Lists one source through the writer, workspace by workspace; workspaces and dates without files are left out. */
async function listSource(source: AuditSource, filter: PartitionFilter, writer: ListingWriter, options: { signal: AbortSignal; onSkipped: (s: Skipped) => void }): Promise<void> {
  const ids = await listSelectedWorkspaces(source, filter, options);
  await writer.begin(source.uri, ids);
  const totals = { workspaces: 0, files: 0, bytes: 0 };
  for (const workspaceId of ids) {
    const dates: DateEntry[] = [];
    for (const { date, files } of await listWorkspacePartitions(source, workspaceId, filter, options)) {
      if (files.length === 0) continue;
      const entry: DateEntry = { date, files: files.map((f) => ({ path: f.relativePath, size: f.size })), bytes: 0 };
      for (const f of files) entry.bytes += f.size;
      dates.push(entry);
      totals.files += files.length;
      totals.bytes += entry.bytes;
    }
    if (dates.length === 0) continue;
    totals.workspaces++;
    await writer.workspace({ workspaceId, level: workspaceId === '0' ? 'account' : 'workspace', dates });
  }
  await writer.end(totals);
}

export const lsCommand: CliCommand = {
  name: 'ls',
  summary: 'List the workspaces and dates of a source, with their files and sizes',
  usage: `usage: audit-lens ls --source <folder|gs://bucket/prefix> [options]

Lists each workspace (0 = account-level events) and date, with the number of files and their size.

options:
${SOURCE_USAGE}
  --json                  print {"sources":[{"source","workspaces":[{"workspaceId","level","dates":[{"date","files":[{"path","size"}],"bytes"}]}],"files","bytes"}],"notes":[…]}
                          (notes: what the listing passed over, as on stderr)
  -h, --help              show this help`,
  valueOptions: SOURCE_VALUE_OPTIONS,
  flagOptions: ['json'],
  async run(args: CliArgs, io: CliIo, signal: AbortSignal): Promise<number> {
    if (args.positionals.length > 0) throw usageError(`Unexpected argument '${args.positionals[0]}'.`, HINT);
    const selection = sourceSelection(args, HINT);
    const passedOver: Skipped[] = [];
    const writer = args.flags.has('json') ? jsonWriter(io.stdout) : tableWriter(io.stdout);
    for (const uri of selection.sources) {
      const source = await openSource(uri, { gcsEndpoint: selection.gcsEndpoint, ...(selection.gcs ? { gcs: selection.gcs } : {}) });
      await listSource(source, selection.filter, writer, { signal, onSkipped: (s) => passedOver.push(s) });
    }
    const notes = describeSkipped(passedOver);
    io.stderr.write(formatListingNotes(notes));
    await writer.finish(notes);
    return EXIT_OK;
  },
};
