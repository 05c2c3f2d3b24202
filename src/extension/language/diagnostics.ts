/**
 * Problems-panel diagnostics for audit-log documents, from the core validator: on open and on edit
 * (debounced). Large documents are validated in slices that yield to the event loop, and a newer
 * edit cancels the older run.
 */
import * as vscode from 'vscode';
import { validateLine, type Finding, type FileContext } from '../../core/validate';
import { uiText } from '../untrustedText';
import { fileContextOf } from './documentContext';

export const LANGUAGE_ID = 'databricks-audit-log';
export const DIAGNOSTIC_SOURCE = 'Audit Lens';
const DEBOUNCE_MS = 300;
/** Lines validated between yields, for documents above SYNC_LINES. */
const SLICE_LINES = 2000;
const SYNC_LINES = 5000;
/** Enough to see what is wrong; more only slows the Problems panel. */
export const MAX_DIAGNOSTICS_PER_FILE = 5000;

const SEVERITY: Record<Finding['severity'], vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  information: vscode.DiagnosticSeverity.Information,
};

export function toDiagnostic(finding: Finding): vscode.Diagnostic {
  const line = Math.max(0, finding.line - 1);
  const range = new vscode.Range(line, Math.max(0, finding.column - 1), line, Math.max(finding.column, finding.endColumn - 1));
  const diagnostic = new vscode.Diagnostic(range, uiText(finding.message), SEVERITY[finding.severity]);
  diagnostic.source = DIAGNOSTIC_SOURCE;
  diagnostic.code = finding.code;
  return diagnostic;
}

export function documentFileContext(document: vscode.TextDocument): FileContext {
  return fileContextOf(document.uri.toString(), document.uri.path);
}

function validateLines(document: vscode.TextDocument, context: FileContext, from: number, to: number, into: vscode.Diagnostic[]): void {
  for (let i = from; i < to && into.length < MAX_DIAGNOSTICS_PER_FILE; i++) {
    let text = document.lineAt(i).text;
    if (i === 0 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    if (text.trim() === '') continue;
    for (const finding of validateLine(text, { ...context, line: i + 1 }).findings) into.push(toDiagnostic(finding));
  }
}

export function isAuditLogDocument(document: vscode.TextDocument): boolean {
  return document.languageId === LANGUAGE_ID;
}

export class AuditLogDiagnostics implements vscode.Disposable {
  readonly collection = vscode.languages.createDiagnosticCollection('audit-lens');
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly runs = new Map<string, { version: number; cancelled: boolean }>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor() {
    this.disposables.push(
      this.collection,
      vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)),
      vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)),
      vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)),
    );
    for (const document of vscode.workspace.textDocuments) this.schedule(document, 0);
  }

  /** Validates now (or after `delayMs`); documents of other languages lose their diagnostics. */
  schedule(document: vscode.TextDocument, delayMs: number): void {
    const key = document.uri.toString();
    clearTimeout(this.timers.get(key));
    if (!isAuditLogDocument(document)) {
      if (this.collection.has(document.uri)) this.clear(document.uri);
      return;
    }
    this.timers.set(
      key,
      setTimeout(() => {
        this.timers.delete(key);
        void this.validate(document);
      }, delayMs),
    );
  }

  /** Validates a document and publishes its diagnostics; resolves when done or superseded. */
  async validate(document: vscode.TextDocument): Promise<readonly vscode.Diagnostic[]> {
    const key = document.uri.toString();
    const previous = this.runs.get(key);
    if (previous) previous.cancelled = true;
    const run = { version: document.version, cancelled: false };
    this.runs.set(key, run);
    const context = documentFileContext(document);
    const diagnostics: vscode.Diagnostic[] = [];
    const count = document.lineCount;
    for (let from = 0; from < count; from += count <= SYNC_LINES ? count : SLICE_LINES) {
      const to = count <= SYNC_LINES ? count : Math.min(count, from + SLICE_LINES);
      validateLines(document, context, from, to, diagnostics);
      if (to < count) await new Promise((resolve) => setImmediate(resolve));
      if (run.cancelled || document.isClosed || document.version !== run.version) return diagnostics;
    }
    this.collection.set(document.uri, diagnostics);
    if (this.runs.get(key) === run) this.runs.delete(key);
    return diagnostics;
  }

  private clear(uri: vscode.Uri): void {
    const key = uri.toString();
    clearTimeout(this.timers.get(key));
    this.timers.delete(key);
    const run = this.runs.get(key);
    if (run) run.cancelled = true;
    this.collection.delete(uri);
  }

  dispose(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    // A validation still slicing through a large document must not publish into the disposed collection.
    for (const run of this.runs.values()) run.cancelled = true;
    for (const d of this.disposables) d.dispose();
  }
}
