/**
 * Text from logs (values, keys, file names, bad lines) on its way to a terminal. A terminal acts on
 * control characters (ESC sequences can recolour, retitle, move the cursor or hide text; a newline
 * can forge an output line; bidi controls reorder what follows), so each one is shown as an escape
 * instead: `\x1b`, `\n`, `\u202e`. Machine formats (CSV, JSON) never go through here.
 */
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: ReadonlyMap<string, string> = new Map([
  ['\n', '\\n'],
  ['\r', '\\r'],
  ['\t', '\\t'],
]);

export function escapeForTerminal(text: string): string {
  return text.replace(CONTROLS, (c) => {
    const named = NAMED.get(c);
    if (named !== undefined) return named;
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}
