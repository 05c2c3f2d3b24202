/** Hover docs in audit-log files: requestParams keys, serviceName/actionName values, timestamps. */
import * as vscode from 'vscode';
import { describeAction, describeParam, describeService, documentedSpellingOf, findAction, findService } from '../../core/catalog';
import { describeField } from '../../core/schema';
import { appendCode, uiText, untrustedMarkdown } from '../untrustedText';
import { isPlausibleEpochMs, targetAt, type PositionTarget } from './documentContext';

/** Log text in a hover: shown literally, bidi controls visible, never a link. */
function appendData(md: vscode.MarkdownString, text: string): void {
  md.appendText(uiText(text));
}

function keyList(md: vscode.MarkdownString, heading: string, keys: readonly string[]): void {
  if (keys.length === 0) return;
  md.appendMarkdown(`\n\n${heading}: `);
  keys.forEach((key, i) => {
    if (i > 0) md.appendMarkdown(', ');
    appendCode(md, key);
  });
}

function sourceLine(md: vscode.MarkdownString, source: string | undefined): void {
  if (!source) return;
  md.appendMarkdown('\n\n');
  appendData(md, `Source: ${source}`);
}

function levelText(level: string | undefined): string {
  return level === 'ACCOUNT_LEVEL' ? 'account level' : level === 'WORKSPACE_LEVEL' ? 'workspace level' : 'level unknown';
}

export function paramHover(target: PositionTarget, key: string): vscode.MarkdownString {
  const { service = '?', action = '?', level } = target.record;
  const md = untrustedMarkdown();
  md.appendMarkdown('**');
  appendData(md, `${service} · ${action} · ${key}`);
  md.appendMarkdown('**\n\n');
  const doc = describeParam(service, action, key, level);
  if (doc.documented) {
    md.appendText(doc.description);
  } else if (findAction(service, action, level)) {
    const spelling = documentedSpellingOf(service, action, key, level);
    appendData(md, `Not documented for this action${spelling ? `; the documented spelling is ${spelling}` : ''}.`);
  } else {
    md.appendText(doc.description);
  }
  const documented = findAction(service, action, level)?.params.map((p) => p.name) ?? [];
  keyList(md, `Documented keys of ${service}.${action}`, documented);
  return md;
}

export function serviceHover(target: PositionTarget, service: string): vscode.MarkdownString {
  const md = untrustedMarkdown();
  const doc = describeService(service, target.record.level);
  md.appendMarkdown('**');
  appendData(md, `service ${service}`);
  md.appendMarkdown('**');
  if (doc.documented) md.appendText(` — ${levelText(doc.level)}`);
  md.appendMarkdown('\n\n');
  appendData(md, doc.documented ? doc.description : `${service} is not in the audit-log catalog; services appear that the documentation does not list.`);
  const found = findService(service, target.record.level);
  if (found && found.name !== service) appendData(md, ` (documented as ${found.name})`);
  keyList(md, 'Actions', doc.documentedKeys);
  sourceLine(md, doc.source);
  return md;
}

export function actionHover(target: PositionTarget, action: string): vscode.MarkdownString {
  const service = target.record.service ?? '?';
  const md = untrustedMarkdown();
  const doc = describeAction(service, action, target.record.level);
  md.appendMarkdown('**');
  appendData(md, `action ${service}.${action}`);
  md.appendMarkdown('**');
  if (doc.level) md.appendText(` — ${levelText(doc.level)}`);
  md.appendMarkdown('\n\n');
  md.appendText(doc.description);
  keyList(md, 'Documented requestParams keys', doc.documentedKeys);
  sourceLine(md, doc.source);
  return md;
}

export function timestampHover(ms: number): vscode.MarkdownString {
  const md = untrustedMarkdown();
  const date = new Date(ms);
  md.appendMarkdown('**timestamp** ');
  appendCode(md, String(ms));
  md.appendMarkdown('\n\n');
  md.appendText(`UTC: ${date.toISOString().replace('T', ' ').replace('Z', '')} UTC`);
  md.appendMarkdown('  \n');
  const local = date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'long' });
  md.appendText(`Local: ${local}`);
  return md;
}

export function hoverFor(lineText: string, character: number): { markdown: vscode.MarkdownString; start: number; end: number } | undefined {
  const target = targetAt(lineText, character);
  if (!target) return undefined;
  const { member, onKey, value } = target;
  const path = member.path;
  const span = onKey ? { start: member.keyStart, end: member.keyEnd } : { start: member.valueStart, end: member.valueEnd };
  if (path.length === 2 && path[0] === 'requestParams' && onKey) {
    return { markdown: paramHover(target, path[1]!), ...span };
  }
  if (path.length === 1 && path[0] === 'serviceName' && !onKey && typeof value === 'string') {
    return { markdown: serviceHover(target, value), ...span };
  }
  if (path.length === 1 && path[0] === 'actionName' && !onKey && typeof value === 'string') {
    return { markdown: actionHover(target, value), ...span };
  }
  if (path.length === 1 && path[0] === 'timestamp' && !onKey && isPlausibleEpochMs(value)) {
    return { markdown: timestampHover(value), ...span };
  }
  if (onKey) {
    const description = describeField(path);
    if (description) {
      const md = untrustedMarkdown();
      md.appendMarkdown('**');
      appendData(md, path.join('.'));
      md.appendMarkdown('**\n\n');
      md.appendText(description);
      return { markdown: md, ...span };
    }
  }
  return undefined;
}

export class AuditLogHoverProvider implements vscode.HoverProvider {
  provideHover(document: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const line = document.lineAt(position.line);
    if (line.text.length > 1_000_000) return undefined;
    const found = hoverFor(line.text, position.character);
    if (!found) return undefined;
    return new vscode.Hover(found.markdown, new vscode.Range(position.line, found.start, position.line, found.end));
  }
}
