/**
 * Log text on a terminal, in a pasted report or in a tree label: C0 and C1 control characters
 * (escape sequences among them), DEL, the line and paragraph separators and the bidirectional
 * controls become visible `\u{…}` escapes, so a log line can neither drive the terminal, forge a
 * line, nor reorder what a reader sees.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

export function escapeControls(text: string): string {
  return text.replace(CONTROLS, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`);
}
