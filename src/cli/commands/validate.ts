/** `audit-lens validate`: checks audit-log files against the schema and the catalog, like a compiler. */
import { createReadStream } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';
import * as path from 'node:path';
import { AuditLensError } from '../../core/errors';
import { parseObjectPath } from '../../core/layout';
import { isGcsUri, openSource, type AuditFile, type AuditSource, type SourceOptions } from '../../core/sources';
import {
  addSummary,
  emptySummary,
  validateFile,
  validateStream,
  type Finding,
  type ValidationResult,
  type ValidationSummary,
} from '../../core/validate';
import { lastValue, usageError } from '../args';
import type { CliArgs, CliCommand, CliIo } from '../command';
import { escapeControls } from '../../core/controlChars';
import { write } from '../output';
import { EXIT_FAILURE, EXIT_OK } from '../report';
import { GCS_USAGE, gcsTimeouts } from '../sourceOptions';
import { formatListingNotes } from '../problems';
import { describeSkipped, type Skipped } from '../../core/sources/skipped';

const HINT = "Run 'audit-lens validate --help' for usage.";
const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

/** `path:line:col: severity: message [code]`, as compilers print. */
export function formatFinding(f: Finding, shownPath: string): string {
  const where = f.line > 0 ? `${shownPath}:${f.line}:${f.column}` : shownPath;
  return escapeControls(`${where}: ${f.severity}: ${f.message} [${f.code}]`);
}

export function formatSummary(files: number, s: ValidationSummary): string {
  const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  return `${plural(files, 'file')}, ${plural(s.lines, 'line')} read: ${plural(s.records, 'record')}, ${s.rejected} rejected; ${plural(s.errors, 'error')}, ${plural(s.warnings, 'warning')}, ${s.information} information`;
}

/** Local paths relative to the working folder when below it; URIs as they are. */
function displayPath(uri: string): string {
  if (isGcsUri(uri)) return uri;
  const relative = path.relative(process.cwd(), uri);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : uri;
}

interface Target {
  files: AuditFile[];
  source?: AuditSource;
}

async function localFile(target: string): Promise<AuditFile | undefined> {
  const info = await stat(target).catch(() => undefined);
  if (!info) {
    const link = await lstat(target).catch(() => undefined);
    if (link?.isSymbolicLink()) throw new AuditLensError('not-found', `${target} is a symbolic link that leads to no file (a missing target or a loop of links)`);
    throw new AuditLensError('not-found', `No such file or folder: ${target}`);
  }
  if (!info.isFile() && !info.isDirectory()) throw new AuditLensError('data', `${target} is not a regular file (a pipe, device or socket): it was not opened`);
  if (!info.isFile()) return undefined;
  const parsed = parseObjectPath(path.resolve(target));
  return {
    sourceUri: path.dirname(path.resolve(target)),
    uri: target,
    relativePath: path.basename(target),
    // Outside the delivery layout there is no folder to compare records with.
    workspaceId: parsed.ok ? parsed.value.workspaceId : '',
    date: parsed.ok ? parsed.value.date : '',
    size: info.size,
    version: `${Math.trunc(info.mtimeMs)}-${info.size}`,
  };
}

async function resolveTarget(target: string, options: SourceOptions, signal: AbortSignal, notes: string[]): Promise<Target> {
  if (!isGcsUri(target)) {
    const file = await localFile(target);
    if (file) return { files: [file] };
  }
  const source = await openSource(target, options);
  const passedOver: Skipped[] = [];
  const files = await source.listFiles(undefined, { signal, onSkipped: (s) => passedOver.push(s) });
  notes.push(...describeSkipped(passedOver));
  if (files.length === 0) {
    throw new AuditLensError('not-found', `No audit-log files (workspaceId=<id>/date=<yyyy-mm-dd>/auditlogs_<id>.json) under ${target}`);
  }
  return { files, source };
}

async function validateOne(target: Target, file: AuditFile, signal: AbortSignal, onFindings: (f: Finding[]) => void): Promise<ValidationResult> {
  if (target.source) return validateFile(target.source, file, { signal, onFindings });
  const stream = createReadStream(file.uri, { highWaterMark: 1024 * 1024, signal });
  try {
    return await validateStream(
      stream,
      {
        file: file.uri,
        ...(file.workspaceId ? { expectedWorkspaceId: file.workspaceId } : {}),
        ...(file.date ? { expectedDate: file.date } : {}),
      },
      { signal, onFindings },
    );
  } finally {
    stream.destroy();
  }
}

/**
 * A file that could not be read (or not to its end) is a finding of its own, and the run goes on
 * with the next file. Cancelling still stops the run.
 */
function unreadable(error: unknown, file: string, onFindings: (f: Finding[]) => void): ValidationResult {
  const failure = AuditLensError.from(error, 'data');
  if (failure.code === 'cancelled') throw failure;
  const finding: Finding = { file, line: 0, column: 0, endColumn: 0, severity: 'error', code: 'unreadable', message: `the file could not be read: ${failure.userMessage}` };
  onFindings([finding]);
  return { file, summary: { ...emptySummary(), errors: 1 }, findings: [] };
}

export const validateCommand: CliCommand = {
  name: 'validate',
  summary: 'Check audit-log files against the record schema and the requestParams catalog',
  usage: `usage: audit-lens validate <file|folder|gs://bucket/prefix> [options]

Checks every line of the audit-log files and prints one line per finding:
  path:line:column: severity: message [code]
then a summary. Severities: error, warning, information. A folder or bucket is walked through
its workspaceId=<id>/date=<yyyy-mm-dd>/ folders, and each record's workspaceId and date are
checked against them. A file that cannot be read is reported as an error (path: error: …
[unreadable]) and the others are still checked. Exit status: 0 when there is no error, 1 when
there are errors, 2 on usage.

options:
  --format text|json      output format (default text); json prints
                          {"files":[{"file","summary","findings":[…]}],"summary":{…},"notes":[…]}
                          (notes: what the listing passed over, as on stderr)
${GCS_USAGE}
  -h, --help              show this help`,
  valueOptions: ['format', 'gcs-endpoint', 'gcs-timeout'],
  flagOptions: [],
  async run(args: CliArgs, io: CliIo, signal: AbortSignal): Promise<number> {
    if (args.positionals.length !== 1) {
      throw usageError(args.positionals.length === 0 ? 'Missing the file, folder or gs:// URI to validate.' : `Unexpected argument '${args.positionals[1]}'.`, HINT);
    }
    const formatText = lastValue(args, 'format') ?? 'text';
    if (!(FORMATS as readonly string[]).includes(formatText)) throw usageError(`--format '${formatText}' is not one of ${FORMATS.join(', ')}.`, HINT);
    const format = formatText as Format;
    const gcsEndpoint = lastValue(args, 'gcs-endpoint');
    const gcs = gcsTimeouts(args, HINT);
    const notes: string[] = [];
    const target = await resolveTarget(args.positionals[0]!, { ...(gcsEndpoint ? { gcsEndpoint } : {}), ...(gcs ? { gcs } : {}) }, signal, notes);
    io.stderr.write(formatListingNotes(notes));

    const total = emptySummary();
    const results: ValidationResult[] = [];
    for (const file of target.files) {
      const shown = displayPath(file.uri);
      const kept: Finding[] = [];
      const pending: Promise<void>[] = [];
      const onFindings = (found: Finding[]): void => {
        if (format === 'json') for (const f of found) kept.push(f);
        else pending.push(write(io.stdout, found.map((f) => formatFinding(f, shown)).join('\n') + '\n'));
      };
      const result = await validateOne(target, file, signal, onFindings).catch((error: unknown) => unreadable(error, file.uri, onFindings));
      await Promise.all(pending);
      addSummary(total, result.summary);
      if (format === 'json') results.push({ file: shown, summary: result.summary, findings: kept.map((f) => ({ ...f, file: shown })) });
    }
    if (format === 'json') {
      await write(io.stdout, JSON.stringify({ files: results, summary: { files: target.files.length, ...total }, notes }) + '\n');
    } else {
      await write(io.stdout, formatSummary(target.files.length, total) + '\n');
    }
    return total.errors > 0 ? EXIT_FAILURE : EXIT_OK;
  },
};
