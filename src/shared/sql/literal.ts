/** Writing values into Spark-style SQL text. */

/**
 * A Spark string literal for any text: backslashes and single quotes escaped, as Spark (and the
 * session's dialect) reads `'…'`, so a value from a log can never end the literal early.
 */
export function sparkStringLiteral(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
