/** Edits on a query's significant tokens, and the small token tests the rewrites share. */
import { isPunct, type Token } from '../../../shared/sql/lexer';

export interface TokenEdits {
  /** Text emitted before a significant token, outermost first. */
  before: Map<number, string[]>;
  /** Text emitted after a significant token, innermost first. */
  after: Map<number, string[]>;
  /** Replacement text of a significant token ('' drops it). */
  replace: Map<number, string>;
}

export function emptyEdits(): TokenEdits {
  return { before: new Map(), after: new Map(), replace: new Map() };
}

export { isOperator, isPunct, isWord } from '../../../shared/sql/lexer';

export function wrap(edits: TokenEdits, first: number, last: number, open: string, close: string): void {
  edits.before.set(first, [open, ...(edits.before.get(first) ?? [])]);
  edits.after.set(last, [...(edits.after.get(last) ?? []), close]);
}

export function insertBefore(edits: TokenEdits, at: number, text: string): void {
  edits.before.set(at, [text, ...(edits.before.get(at) ?? [])]);
}

export function insertAfter(edits: TokenEdits, at: number, text: string): void {
  edits.after.set(at, [...(edits.after.get(at) ?? []), text]);
}

/** For each '(' its ')' and for each ')' its '(' (unbalanced ones are left to SQLite to report). */
export function matchingParens(sig: readonly Token[]): Map<number, number> {
  const match = new Map<number, number>();
  const open: number[] = [];
  sig.forEach((t, k) => {
    if (isPunct(t, '(')) open.push(k);
    else if (isPunct(t, ')')) {
      const o = open.pop();
      if (o !== undefined) {
        match.set(o, k);
        match.set(k, o);
      }
    }
  });
  return match;
}

/** Top-level commas of the call whose '(' is at `open`. */
export function argumentCommas(sig: readonly Token[], open: number, close: number): number[] {
  const commas: number[] = [];
  let depth = 0;
  for (let k = open + 1; k < close; k++) {
    if (isPunct(sig[k], '(')) depth++;
    else if (isPunct(sig[k], ')')) depth--;
    else if (depth === 0 && isPunct(sig[k], ',')) commas.push(k);
  }
  return commas;
}

/** The source text of significant tokens first..last, as written. */
export function sourceText(source: string, sig: readonly Token[], first: number, last: number): string {
  return source.slice(sig[first]!.start, sig[last]!.end);
}

/** Each significant token's parenthesis depth (a closing parenthesis stands at the outer depth). */
export function depths(sig: readonly Token[]): number[] {
  const out: number[] = [];
  let depth = 0;
  sig.forEach((t) => {
    if (isPunct(t, ')')) depth--;
    out.push(depth);
    if (isPunct(t, '(')) depth++;
  });
  return out;
}
