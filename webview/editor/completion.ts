/**
 * SQL completion for audit_logs: columns, nested paths (userIdentity.email, requestParams.<key>),
 * service and action names inside string literals, and each action's requestParams keys from the
 * catalog. Pure: given the text, the cursor and the catalog, it returns what to offer.
 */
import type { CompletionCatalog } from '../../src/protocol/notebook';
import { identifierName, isNameToken, isStringToken, significant, SQL_KEYWORDS, sparkStringValue, tokenize, type Token } from '../../src/shared/sql/lexer';

const tokenizeSql = (text: string): Token[] => tokenize(text, { lenient: true, backslashEscapes: true });

/** A name or string token's unquoted text; any other token's text. */
function unquote(token: Token): string {
  if (isStringToken(token)) return sparkStringValue(token);
  return identifierName(token) ?? token.text;
}

export interface CompletionItem {
  label: string;
  detail: string;
  kind: 'column' | 'field' | 'param' | 'service' | 'action' | 'keyword' | 'table';
}

export interface Completions {
  /** Replace text[from, to) with the chosen label. */
  from: number;
  to: number;
  items: CompletionItem[];
}

const TABLES = ['audit_logs', 'audit_errors'];
const MAX_ITEMS = 200;

function lastSegment(name: string): string {
  const parts = name.split('.');
  return parts[parts.length - 1];
}

/** String literals compared with a column, e.g. serviceName = "accounts" or actionName IN ('a', 'b'). */
export function mentionedValues(tokens: readonly Token[], column: 'serviceName' | 'actionName'): string[] {
  const code = significant(tokens);
  const out: string[] = [];
  for (let i = 0; i < code.length; i++) {
    const t = code[i];
    if (!isNameToken(t) || lastSegment(unquote(t)) !== column) continue;
    const op = code[i + 1];
    if (!op) continue;
    if (op.text === '=' || op.text === '==' || op.text.toLowerCase() === 'like') {
      if (isStringToken(code[i + 2])) out.push(unquote(code[i + 2]));
    } else if (op.text.toLowerCase() === 'in' && code[i + 2]?.text === '(') {
      for (let j = i + 3; j < code.length && code[j].text !== ')'; j++) if (isStringToken(code[j])) out.push(unquote(code[j]));
    }
  }
  return out;
}

function filterByPrefix(items: CompletionItem[], prefix: string): CompletionItem[] {
  const p = prefix.toLowerCase();
  const seen = new Set<string>();
  return items
    .filter((i) => i.label.toLowerCase().startsWith(p) && !seen.has(i.kind + i.label) && seen.add(i.kind + i.label))
    .slice(0, MAX_ITEMS);
}

function actionsOf(catalog: CompletionCatalog, services: readonly string[]): CompletionItem[] {
  const chosen = services.length ? catalog.services.filter((s) => services.includes(s.name)) : catalog.services;
  return chosen.flatMap((s) => s.actions.map((a) => ({ label: a.name, detail: s.name, kind: 'action' as const })));
}

function paramsOf(catalog: CompletionCatalog, services: readonly string[], actions: readonly string[]): CompletionItem[] {
  const items: CompletionItem[] = [];
  for (const s of catalog.services) {
    if (services.length && !services.includes(s.name)) continue;
    for (const a of s.actions) {
      if (actions.length && !actions.includes(a.name)) continue;
      for (const p of a.params) items.push({ label: p, detail: `${s.name}.${a.name}`, kind: 'param' });
    }
  }
  return items.sort((x, y) => (x.label < y.label ? -1 : x.label > y.label ? 1 : 0));
}

export function complete(text: string, cursor: number, catalog: CompletionCatalog): Completions | undefined {
  const tokens = tokenizeSql(text);
  const services = mentionedValues(tokens, 'serviceName');
  const actions = mentionedValues(tokens, 'actionName');
  const before = tokenizeSql(text.slice(0, cursor));
  const last = before[before.length - 1];
  if (last?.kind === 'comment') return undefined;

  if (isStringToken(last) && last && (last.text.length === 1 || !last.text.endsWith(last.text[0]))) {
    const prefix = last.text.slice(1);
    const code = significant(before);
    let k = code.length - 2;
    while (k >= 0 && (code[k].text === ',' || isStringToken(code[k]) || code[k].text === '(' || code[k].text.toLowerCase() === 'in')) {
      if (code[k].text.toLowerCase() === 'in') {
        k--;
        break;
      }
      k--;
    }
    if (code[k]?.text === '=' || code[k]?.text.toLowerCase() === 'like') k--;
    const column = code[k] ? lastSegment(unquote(code[k])) : '';
    let items: CompletionItem[] = [];
    if (column === 'serviceName') items = catalog.services.map((s) => ({ label: s.name, detail: `${s.actions.length} actions`, kind: 'service' as const }));
    else if (column === 'actionName') items = actionsOf(catalog, services);
    else return undefined;
    return { from: cursor - prefix.length, to: cursor, items: filterByPrefix(items, prefix) };
  }

  const word = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]*)*$|$/.exec(text.slice(0, cursor))?.[0] ?? '';
  const dot = word.lastIndexOf('.');
  if (dot >= 0) {
    const base = word.slice(0, dot);
    const prefix = word.slice(dot + 1);
    const baseName = lastSegment(base);
    let items: CompletionItem[];
    if (baseName === 'requestParams') items = paramsOf(catalog, services, actions);
    else {
      const column = catalog.columns.find((c) => c.name === baseName);
      if (!column?.fields) return undefined;
      items = column.fields.map((f) => ({ label: f, detail: `${column.name} field`, kind: 'field' as const }));
    }
    return { from: cursor - prefix.length, to: cursor, items: filterByPrefix(items, prefix) };
  }
  const items: CompletionItem[] = [
    ...catalog.columns.map((c) => ({ label: c.name, detail: c.fields ? 'column (nested)' : 'column', kind: 'column' as const })),
    ...TABLES.map((t) => ({ label: t, detail: 'table', kind: 'table' as const })),
    ...[...SQL_KEYWORDS].map((k) => ({ label: k.toUpperCase(), detail: 'keyword', kind: 'keyword' as const })),
  ];
  if (word === '') return undefined;
  const filtered = filterByPrefix(items, word);
  if (filtered.length === 1 && filtered[0].label === word) return undefined;
  return { from: cursor - word.length, to: cursor, items: filtered };
}
