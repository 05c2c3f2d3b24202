/**
 * A small SQL tokenizer for highlighting, completion and dialect checks. It never fails:
 * unterminated strings and comments run to the end of the text. Tokens cover the text exactly.
 */

export type SqlTokenKind =
  | 'keyword'
  | 'identifier'
  | 'quotedIdentifier'
  | 'string'
  | 'number'
  | 'operator'
  | 'punctuation'
  | 'comment'
  | 'whitespace';

export interface SqlToken {
  kind: SqlTokenKind;
  text: string;
  start: number;
  end: number;
}

export const SQL_KEYWORDS: ReadonlySet<string> = new Set(
  (
    'select from where group by order having limit offset as and or not in is null like glob between case when then else end ' +
    'distinct all union intersect except join left right inner outer full cross on using with asc desc true false exists ' +
    'cast create replace temporary view table insert into values update delete set over partition window rows range ' +
    'interval date timestamp rlike ilike nulls first last any some escape collate natural recursive if options'
  ).split(' '),
);

const IDENT_START = /[A-Za-z_\u00C0-\uFFFF]/;
const IDENT_PART = /[A-Za-z0-9_$\u00C0-\uFFFF]/;
const DIGIT = /[0-9]/;
const OPERATORS = ['->>', '->', '||', '<=', '>=', '<>', '!=', '==', '<<', '>>', '=', '<', '>', '+', '-', '*', '/', '%', '&', '|', '~', ':'];

function scanQuoted(text: string, start: number, quote: string): number {
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === '\\' && quote !== '`' && quote !== '[') {
      i += 2;
      continue;
    }
    if (ch === (quote === '[' ? ']' : quote)) {
      if (text[i + 1] === quote && quote !== '[') {
        i += 2;
        continue;
      }
      return i + 1;
    }
    i++;
  }
  return text.length;
}

export function tokenizeSql(text: string): SqlToken[] {
  const tokens: SqlToken[] = [];
  let i = 0;
  const push = (kind: SqlTokenKind, end: number) => {
    tokens.push({ kind, text: text.slice(i, end), start: i, end });
    i = end;
  };
  while (i < text.length) {
    const ch = text[i];
    const next = text[i + 1];
    if (/\s/.test(ch)) {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j])) j++;
      push('whitespace', j);
    } else if (ch === '-' && next === '-') {
      const nl = text.indexOf('\n', i);
      push('comment', nl === -1 ? text.length : nl);
    } else if (ch === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      push('comment', close === -1 ? text.length : close + 2);
    } else if (ch === "'" || ch === '"') {
      push('string', scanQuoted(text, i, ch));
    } else if (ch === '`' || ch === '[') {
      push('quotedIdentifier', scanQuoted(text, i, ch));
    } else if (DIGIT.test(ch) || (ch === '.' && next !== undefined && DIGIT.test(next))) {
      let j = i + 1;
      while (j < text.length && /[0-9.eE]/.test(text[j])) {
        if ((text[j] === 'e' || text[j] === 'E') && (text[j + 1] === '+' || text[j + 1] === '-')) j++;
        j++;
      }
      push('number', j);
    } else if (IDENT_START.test(ch)) {
      let j = i + 1;
      while (j < text.length && IDENT_PART.test(text[j])) j++;
      const word = text.slice(i, j);
      push(SQL_KEYWORDS.has(word.toLowerCase()) ? 'keyword' : 'identifier', j);
    } else {
      const op = OPERATORS.find((o) => text.startsWith(o, i));
      if (op) push('operator', i + op.length);
      else push('punctuation', i + 1);
    }
  }
  return tokens;
}

/** The unquoted value of a string or quoted-identifier token. */
export function unquote(token: SqlToken): string {
  const t = token.text;
  if (token.kind !== 'string' && token.kind !== 'quotedIdentifier') return t;
  const q = t[0];
  const close = q === '[' ? ']' : q;
  const body = t.length >= 2 && t.endsWith(close) ? t.slice(1, -1) : t.slice(1);
  return q === '[' ? body : body.split(q + q).join(q);
}
