/** Streams a cell's whole result into a file the user picks, with progress and cancel. */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { AuditLensError } from '../../core/errors';
import type { AsOfChoice, ExportFormat, ExportOutcome } from '../../protocol/notebook';
import { fileSink } from './exportFileSink';
import type { LexedSql } from '../../shared/sql/lexer';
import type { NotebookSession } from '../../worker/session/notebookSession';
import { safeWindow } from '../untrustedText';

export interface ExportRequest {
  requestId: number;
  sql: string | LexedSql;
  format: ExportFormat;
  suggestedName: string;
  /** The instant every "now" of the export evaluates at. */
  asOf?: AsOfChoice;
  /** Rows written so far (counted by line breaks, so approximate until the end). */
  onProgress(rows: number): void;
}

function closeStream(stream: WriteStream): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.once('error', reject);
    stream.end(() => resolve());
  });
}

export async function exportToFile(
  session: Pick<NotebookSession, 'exportRows' | 'cancel'>,
  request: ExportRequest,
  showSaveDialog: (options: vscode.SaveDialogOptions) => Thenable<vscode.Uri | undefined> = (options) => vscode.window.showSaveDialog(options),
): Promise<ExportOutcome> {
  const defaultFolder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const target = await showSaveDialog({
    title: `Export the whole result as ${request.format.toUpperCase()}`,
    defaultUri: defaultFolder ? vscode.Uri.joinPath(defaultFolder, request.suggestedName) : undefined,
    filters: request.format === 'csv' ? { CSV: ['csv'] } : { JSON: ['json'] },
  });
  if (!target) return { saved: false };
  if (target.scheme !== 'file') throw new AuditLensError('usage', `Export writes to local files only, not ${target.scheme}: URIs.`, target.toString());
  const file = target.fsPath;
  const stream = createWriteStream(file, { encoding: 'utf8' });
  const sink = fileSink(stream);
  let lines = 0;
  return safeWindow.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Exporting to ${path.basename(file)}`, cancellable: true },
    async (progress, token) => {
      const cancel = token.onCancellationRequested(() => session.cancel(request.requestId));
      try {
        const { rowCount, asOf } = await session.exportRows(request.requestId, request.sql, request.format, async (chunk) => {
          await sink(chunk);
          for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', i + 1)) lines++;
          request.onProgress(Math.max(0, lines - 1));
          progress.report({ message: `${Math.max(0, lines - 1).toLocaleString('en-US')} rows` });
        }, {}, request.asOf);
        await closeStream(stream);
        return { saved: true, rowCount, fileName: path.basename(file), asOf };
      } catch (error) {
        stream.destroy();
        await rm(file, { force: true });
        throw error;
      } finally {
        cancel.dispose();
      }
    },
  );
}
