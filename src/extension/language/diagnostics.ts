/**
 * Problems-panel diagnostics for audit-log documents, from the core validator: on open and on edit
 * (debounced). Large documents are validated in slices that yield to the event loop, and a newer
 * edit cancels the older run.
 */
import * as vscode from 'vscode';
import { validateDocumentInSlices, type Finding, type FileContext } from '../../core/validate';
import { uiText } from '../untrustedText';
import { fileContextOf } from './documentContext';
import { DisposableBase } from '../disposable';

export const LANGUAGE_ID = 'databricks-audit-log';
export const DIAGNOSTIC_SOURCE = 'Audit Lens';
const DEBOUNCE_MS = 300;
/** Lines validated between yields to the event loop. */
const SLICE_LINES = 2000;
/** Enough to see what is wrong; more only slows the Problems panel. Also for files validated from the tree. */
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

export function isAuditLogDocument(document: vscode.TextDocument): boolean {
  return document.languageId === LANGUAGE_ID;
}

export class AuditLogDiagnostics extends DisposableBase {
  readonly collection = this.register(vscode.languages.createDiagnosticCollection('audit-lens'));
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly runs = new Map<string, { version: number; cancelled: boolean }>();

  constructor() {
    super();
    // A validation still slicing through a large document must not publish into the disposed collection.
    this.register({ dispose: () => this.runs.forEach((run) => (run.cancelled = true)) });
    this.register({ dispose: () => this.timers.forEach((timer) => clearTimeout(timer)) });
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.schedule(d, 0)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.schedule(e.document, DEBOUNCE_MS)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.clear(d.uri)));
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
    const slices = validateDocumentInSlices(document.getText(), documentFileContext(document), SLICE_LINES);
    let step = slices.next();
    while (!step.done) {
      await new Promise((resolve) => setImmediate(resolve));
      if (run.cancelled || document.isClosed || document.version !== run.version) return [];
      step = slices.next();
    }
    const diagnostics = step.value.findings.slice(0, MAX_DIAGNOSTICS_PER_FILE).map(toDiagnostic);
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
}
