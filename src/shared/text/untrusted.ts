/**
 * Text from logs and file names, made safe to show: nothing in it can turn into a link, an icon or
 * reversed text. Pure, so the extension and the webview render such text the same way.
 */

/**
 * The bidirectional controls that reorder the text after them: the marks (ALM U+061C, LRM U+200E,
 * RLM U+200F), the embeddings and overrides (U+202A–U+202E) and the isolates (U+2066–U+2069).
 */
const BIDI_CONTROL = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;

/** An invisible character that joins what is around it; placed inside `](` and `$(` it breaks their syntax. */
export const WORD_JOINER = '\u2060';

/** True when the text holds a bidi control character. */
export function hasBidiControls(text: string): boolean {
  return text.search(BIDI_CONTROL) !== -1;
}

/** `[U+202E]`: how a bidi control is shown, as the editor marks it. */
function bidiMarker(control: string): string {
  return `[U+${control.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}]`;
}

/** Each bidi control replaced by its visible marker, so it can no longer reorder what follows. */
export function showBidiControls(text: string): string {
  return text.replace(BIDI_CONTROL, bidiMarker);
}

/**
 * Breaks the two pieces of syntax VS Code interprets in plain-text surfaces, without changing what
 * is seen: `[label](command:…)`, `[label](https://…)` and `[label](file:…)` are links in
 * notifications, and `$(name)` is an icon in quick picks, the status bar and progress labels. A word
 * joiner between `]` and `(`, and between `$` and `(`, leaves the characters as they were written.
 */
export function breakLinkAndIconSyntax(text: string): string {
  return text.replace(/\]\(/g, `]${WORD_JOINER}(`).replace(/\$\(/g, `$${WORD_JOINER}(`);
}

/** Untrusted text for any VS Code surface that renders plain text, links or icons: no link, no icon, no reordering. */
export function safeUiText(text: string): string {
  return breakLinkAndIconSyntax(showBidiControls(text));
}

/**
 * A markdown code span that shows `text` literally: fenced with one backtick more than the longest
 * run inside it, so no backtick in the text can close it, and nothing in it is a link, HTML or emphasis.
 */
export function markdownCodeSpan(text: string): string {
  const flat = showBidiControls(text).replace(/[\r\n]+/g, ' ');
  const longestRun = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longestRun + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') || flat === '' ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}
