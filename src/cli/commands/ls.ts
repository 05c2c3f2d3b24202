/** `audit-lens ls`: the workspaces and dates of each source, with their files and sizes. */
import type { AuditFile } from '../../core/sources';
import { openSource } from '../../core/sources';
import { describeSkipped, type Skipped } from '../../core/sources/skipped';
import { formatListingNotes } from '../problems';
import { usageError } from '../args';
import type { CliArgs, CliCommand, CliIo } from '../command';
import { write } from '../output';
import { EXIT_OK } from '../report';
import { SOURCE_USAGE, SOURCE_VALUE_OPTIONS, sourceSelection } from '../sourceOptions';

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

interface SourceListing {
  source: string;
  workspaces: WorkspaceEntry[];
  files: number;
  bytes: number;
}

function group(source: string, files: AuditFile[]): SourceListing {
  const workspaces = new Map<string, { entry: WorkspaceEntry; dates: Map<string, DateEntry> }>();
  let bytes = 0;
  for (const file of files) {
    let ws = workspaces.get(file.workspaceId);
    if (!ws) {
      ws = { entry: { workspaceId: file.workspaceId, level: file.workspaceId === '0' ? 'account' : 'workspace', dates: [] }, dates: new Map() };
      workspaces.set(file.workspaceId, ws);
    }
    let day = ws.dates.get(file.date);
    if (!day) {
      day = { date: file.date, files: [], bytes: 0 };
      ws.dates.set(file.date, day);
      ws.entry.dates.push(day);
    }
    day.files.push({ path: file.relativePath, size: file.size });
    day.bytes += file.size;
    bytes += file.size;
  }
  return { source, workspaces: Array.from(workspaces.values(), (ws) => ws.entry), files: files.length, bytes };
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

function renderListing(listing: SourceListing): string {
  const rows = listing.workspaces.flatMap((ws) =>
    ws.dates.map((d) => [ws.workspaceId === '0' ? '0 (account)' : ws.workspaceId, d.date, String(d.files.length), formatBytes(d.bytes)]),
  );
  const header = ['workspace', 'date', 'files', 'size'];
  // A loop, not Math.max(...rows): a tree may have more partitions than a call has room for arguments.
  const widths = header.map((h) => h.length);
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i]!, cell.length)));
  const line = (cells: string[]): string => cells.map((c, i) => (i >= 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  const lines = [`${listing.source}`, line(header), widths.map((w) => '-'.repeat(w)).join('  ')];
  for (const row of rows) lines.push(line(row));
  const workspaceCount = listing.workspaces.length;
  lines.push(
    `${workspaceCount} ${workspaceCount === 1 ? 'workspace' : 'workspaces'}, ${listing.files} ${listing.files === 1 ? 'file' : 'files'}, ${formatBytes(listing.bytes)}`,
  );
  return lines.join('\n') + '\n';
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
    const listings: SourceListing[] = [];
    const passedOver: Skipped[] = [];
    for (const uri of selection.sources) {
      const source = await openSource(uri, { gcsEndpoint: selection.gcsEndpoint, ...(selection.gcs ? { gcs: selection.gcs } : {}) });
      listings.push(group(source.uri, await source.listFiles(selection.filter, { signal, onSkipped: (s) => passedOver.push(s) })));
    }
    const notes = describeSkipped(passedOver);
    io.stderr.write(formatListingNotes(notes));
    if (args.flags.has('json')) {
      await write(io.stdout, JSON.stringify({ sources: listings, notes }) + '\n');
    } else {
      await write(io.stdout, listings.map(renderListing).join('\n'));
    }
    return EXIT_OK;
  },
};
