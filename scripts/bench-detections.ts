/**
 * The built-in detections twice over one delivery tree, for the benchmark: through the product's
 * `audit-lens detect` (cold, in its own process) and through DuckDB running equivalents of the
 * same SQL over the same files, with the row count of each detection on both sides.
 *
 * The DuckDB equivalents are the product's rendered SQL translated token by token
 * (toDuckDbSql), so a change to a detection's YAML reaches both sides. What the translation does,
 * and why each step keeps Spark's meaning:
 * - `requestParams.<key>` (any depth, backticked keys too) → `json_extract_string(requestParams,
 *   '$."<key>"')`: requestParams is loaded as JSON; a string value comes back as the string, any
 *   other value as its JSON text, as the product reads it;
 * - '…' and "…" strings are read with Spark's backslash escapes and written as DuckDB strings;
 *   a LIKE pattern holding a backslash gets `ESCAPE '\'` (Spark's default escape);
 *   `backticks` become "quoted identifiers";
 * - `x [NOT] RLIKE p` → `[NOT] regexp_matches(x, p)` (both find a match anywhere in x);
 * - `regexp_replace(s, p, r)` replaces every match, as Spark does (DuckDB's replaces the first
 *   unless given 'g'), with Java's `$1` group references written as RE2's `\1`;
 * - `CAST(a / b AS BIGINT)`: Spark's `/` gives a double and its cast truncates it; DuckDB's
 *   cast rounds, so the quotient is truncated first;
 * - `==` → `=`, `<=>` → IS NOT DISTINCT FROM, `10L` → `10`;
 * - `date` and `workspaceId` are the hive partitions (as text, like the product's), `_file` the
 *   file DuckDB read the row from; `_line` has no DuckDB equivalent and is NULL (no detection
 *   filters or groups on it, so no row count depends on it).
 * `userIdentity.email` and `response.statusCode` need no translation: both are declared structs.
 * Every built-in translates so; a construct the translator does not know is refused, by name,
 * rather than passed on with another meaning.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { selectDetections } from '../src/core/analyses';
import { SCAN_CACHE_ENV } from '../src/core/scan/cache-location';
import { matchingParens } from '../src/core/sql/dialect/edits';
import { identifierName, isNameToken, isPunct, isWord, sparkStringValue, tokenize, type Token } from '../src/shared/sql/lexer';

export interface DetectionFigures {
  ms: number;
  /** Rows per detection id. */
  rows: Map<string, number>;
}

/** A CLI run's figures, with how many of the scope's files its record cache served. */
export interface CliDetectionFigures extends DetectionFigures {
  files: number;
  filesFromCache: number;
}

/** The JSON columns that Spark reads as a map or struct and DuckDB is given as JSON. */
const JSON_PATH_COLUMNS = new Set(['requestparams']);
const INTEGRAL_TYPES = new Set(['bigint', 'int', 'integer', 'long', 'smallint', 'short', 'tinyint', 'byte']);
/** Operators binding tighter than RLIKE: an operand ending or starting beside one is not a lone primary. */
const TIGHTER_OPERATORS = new Set(['||', '+', '-', '*', '/', '%', '&', '|', '^', '~', '::']);

/** What to write instead of, before and after tokens (indexes into the full token list). */
interface Edits {
  replace: Map<number, string>;
  before: Map<number, string[]>;
  after: Map<number, string[]>;
}

/** Translates one Spark-style detection query over `audit_logs` into DuckDB SQL over the table duckdbDetections loads. */
export function toDuckDbSql(sparkSql: string): string {
  const tokens = tokenize(sparkSql, { backslashEscapes: true });
  // Positions of the significant tokens in `tokens`; the rewrites below work on these.
  const sig = tokens.flatMap((t, i) => (t.kind === 'space' || t.kind === 'comment' ? [] : [i]));
  const at = (k: number): Token | undefined => (k >= 0 && k < sig.length ? tokens[sig[k]!] : undefined);
  const match = matchingParens(sig.map((i) => tokens[i]!));
  const edits: Edits = { replace: new Map(), before: new Map(), after: new Map() };
  const before = (k: number, text: string): void => void edits.before.set(sig[k]!, [...(edits.before.get(sig[k]!) ?? []), text]);
  const after = (k: number, text: string): void => void edits.after.set(sig[k]!, [...(edits.after.get(sig[k]!) ?? []), text]);
  const replace = (k: number, text: string): void => void edits.replace.set(sig[k]!, text);

  for (let k = 0; k < sig.length; k++) {
    const token = at(k)!;
    const word = token.kind === 'word' ? token.text.toLowerCase() : undefined;
    if (isNameToken(token) && !isPunct(at(k - 1), '.') && isPunct(at(k + 1), '.')) {
      k = jsonPath(k);
    } else if (word === 'regexp_replace' && isPunct(at(k + 1), '(')) {
      regexpReplace(k);
    } else if ((word === 'rlike' || word === 'regexp') && !isPunct(at(k + 1), '(')) {
      rlike(k);
    } else if (word === 'cast' && isPunct(at(k + 1), '(')) {
      castToIntegral(k);
    } else if (word === 'like' || word === 'ilike') {
      const pattern = at(k + 1);
      if (pattern && isString(pattern) && sparkStringValue(pattern).includes('\\')) after(k + 1, " ESCAPE '\\'");
    } else if (word === '_line') {
      const next = at(k + 1);
      replace(k, isPunct(next, ',') || isWord(next, 'from') ? 'CAST(NULL AS BIGINT) AS _line' : 'CAST(NULL AS BIGINT)');
    } else if (token.kind === 'bracket' || token.kind === 'param' || token.kind === 'blob') {
      throw new Error(`cannot translate ${token.text} at offset ${token.start}: no DuckDB equivalent written for it`);
    }
  }
  return tokens.map((t, i) => [...(edits.before.get(i) ?? []), edits.replace.get(i) ?? plainToken(t), ...(edits.after.get(i) ?? [])].join('')).join('');

  /** A dotted name at k: a nested path into a JSON column becomes one json_extract_string; returns the chain's last index. */
  function jsonPath(k: number): number {
    const names = [identifierName(at(k)!)!];
    let last = k;
    while (isPunct(at(last + 1), '.') && isNameToken(at(last + 2))) {
      names.push(identifierName(at(last + 2)!)!);
      last += 2;
    }
    const column = names.findIndex((n) => JSON_PATH_COLUMNS.has(n.toLowerCase()));
    if (column < 0 || column === names.length - 1) return last;
    const keys = names.slice(column + 1);
    const jsonPathText = `$${keys.map((key) => `."${key.replace(/"/g, '\\"')}"`).join('')}`;
    replace(k, `json_extract_string(${names.slice(0, column + 1).map(duckIdentifier).join('.')}, ${duckString(jsonPathText)})`);
    for (let j = k + 1; j <= last; j++) replace(j, '');
    return last;
  }

  function regexpReplace(k: number): void {
    const close = match.get(k + 1)!;
    const commas = topLevelCommas(k + 1, close);
    if (commas.length !== 2) throw new Error(`regexp_replace with ${commas.length + 1} arguments: only the 3-argument form is translated`);
    const replacement = at(commas[1]! + 1)!;
    if (commas[1]! + 2 !== close || !isString(replacement)) throw new Error('regexp_replace: only a literal replacement string is translated');
    replace(commas[1]! + 1, duckString(javaReplacementToRe2(sparkStringValue(replacement))));
    before(close, ", 'g'");
  }

  function rlike(k: number): void {
    const negated = isWord(at(k - 1), 'not');
    const leftEnd = negated ? k - 2 : k - 1;
    const leftStart = primaryStart(leftEnd);
    const rightEnd = primaryEnd(k + 1);
    const outside = [at(leftStart - 1), at(rightEnd + 1)];
    if (outside.some((t) => t?.kind === 'operator' && TIGHTER_OPERATORS.has(t.text))) {
      throw new Error(`RLIKE at offset ${at(k)!.start}: an operand that is not a single term; parenthesize it`);
    }
    before(leftStart, negated ? 'NOT regexp_matches(' : 'regexp_matches(');
    if (negated) replace(k - 1, '');
    replace(k, ',');
    after(rightEnd, ')');
  }

  /** `CAST(<expr with a top-level /> AS <integral>)`: truncate the quotient, as Spark's cast of a double does. */
  function castToIntegral(k: number): void {
    const open = k + 1;
    const close = match.get(open)!;
    let as: number | undefined;
    let divides = false;
    for (let j = open + 1; j < close; j++) {
      if (isPunct(at(j), '(')) j = match.get(j)!;
      else if (isWord(at(j), 'as')) as = j;
      else if (at(j)!.kind === 'operator' && at(j)!.text === '/') divides = true;
    }
    if (as === undefined || !divides || !INTEGRAL_TYPES.has(at(as + 1)?.text.toLowerCase() ?? '')) return;
    before(open + 1, 'trunc(');
    after(as - 1, ')');
  }

  /** The first significant index of the term that ends at `end`: a name chain, a literal, a call or a parenthesis. */
  function primaryStart(end: number): number {
    if (isPunct(at(end), ')')) {
      const open = match.get(end)!;
      return at(open - 1)?.kind === 'word' ? open - 1 : open;
    }
    let start = end;
    while (isPunct(at(start - 1), '.') && isNameToken(at(start - 2))) start -= 2;
    return start;
  }

  /** The last significant index of the term that starts at `start`. */
  function primaryEnd(start: number): number {
    if (isPunct(at(start), '(')) return match.get(start)!;
    if (at(start)?.kind === 'word' && isPunct(at(start + 1), '(')) return match.get(start + 1)!;
    let end = start;
    while (isPunct(at(end + 1), '.') && isNameToken(at(end + 2))) end += 2;
    return end;
  }

  function topLevelCommas(open: number, close: number): number[] {
    const commas: number[] = [];
    for (let j = open + 1; j < close; j++) {
      if (isPunct(at(j), '(')) j = match.get(j)!;
      else if (isPunct(at(j), ',')) commas.push(j);
    }
    return commas;
  }
}

/** A token that needs no structural rewrite, in DuckDB's spelling. */
function plainToken(token: Token): string {
  switch (token.kind) {
    case 'string':
    case 'dquoted':
      return duckString(sparkStringValue(token));
    case 'backtick':
      return duckIdentifier(identifierName(token)!);
    case 'number': {
      const suffix = /(?:BD|[LSYDF])$/i.exec(token.text)?.[0];
      if (suffix === undefined || /^0x/i.test(token.text)) return token.text;
      if (/^[LSY]$/i.test(suffix)) return token.text.slice(0, -1);
      throw new Error(`cannot translate the number ${token.text}: only the integer suffixes L, S and Y are translated`);
    }
    case 'operator':
      if (token.text === '==') return '=';
      if (token.text === '<=>') return ' IS NOT DISTINCT FROM ';
      return token.text;
    default:
      return token.text;
  }
}

function isString(token: Token): boolean {
  return token.kind === 'string' || token.kind === 'dquoted';
}

function duckString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function duckIdentifier(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** Java's replacement syntax (`$1`, `\$` for a dollar) as RE2's (`\1`, a backslash doubled). */
export function javaReplacementToRe2(replacement: string): string {
  let out = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === '\\' && i + 1 < replacement.length) {
      const literal = replacement[++i]!;
      out += literal === '\\' ? '\\\\' : literal;
    } else if (c === '$' && /[0-9]/.test(replacement[i + 1] ?? '')) {
      out += `\\${replacement[++i]}`;
    } else if (c === '$') {
      throw new Error(`regexp_replace: named group references (${replacement}) are not translated`);
    } else {
      out += c;
    }
  }
  return out;
}


/** Every built-in detection's id and its DuckDB equivalent. */
export function duckdbEquivalents(): { id: string; sql: string }[] {
  return selectDetections().map((d) => ({ id: d.id, sql: toDuckDbSql(d.sql) }));
}

/** The columns DuckDB is told (no sampling), as the benchmark's other DuckDB figures read them; requestParams as JSON. */
/** DuckDB's reading of the delivered fields, declared (no sampling): the benchmark's one copy. */
export const DUCKDB_COLUMNS = `{version: 'VARCHAR', timestamp: 'BIGINT', sourceIPAddress: 'VARCHAR', userAgent: 'VARCHAR', sessionId: 'VARCHAR', userIdentity: 'STRUCT(email VARCHAR)', serviceName: 'VARCHAR', actionName: 'VARCHAR', requestId: 'VARCHAR', requestParams: 'JSON', response: 'STRUCT(statusCode BIGINT, errorMessage VARCHAR, result VARCHAR)', auditLevel: 'VARCHAR', accountId: 'VARCHAR'}`;

/** The one load: every delivered file of the tree into `audit_logs`, the partitions as text, the file as `_file`. */
export function duckdbLoadSql(folder: string): string {
  const files = `${folder}/workspaceId=*/date=*/*.json`.replace(/'/g, "''");
  return `CREATE TABLE audit_logs AS SELECT * EXCLUDE (filename), filename AS _file FROM read_json('${files}', format = 'newline_delimited', hive_partitioning = true, hive_types = {'workspaceId': VARCHAR, 'date': VARCHAR}, filename = true, columns = ${DUCKDB_COLUMNS})`;
}

/**
 * DuckDB reading the tree's files (read_json, declared columns, hive partitions) and running every
 * built-in detection's equivalent: one DuckDB instance, time from creating it to the last answer.
 */
export async function duckdbDetections(folder: string): Promise<DetectionFigures> {
  const equivalents = duckdbEquivalents();
  // Imported here, not at the top: a process that only runs the CLI need not load DuckDB.
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const start = performance.now();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(duckdbLoadSql(folder));
    const rows = new Map<string, number>();
    for (const { id, sql } of equivalents) {
      // Every row read back, as the product hands its rows over, not a count DuckDB could shortcut.
      const reader = await connection.runAndReadAll(sql);
      rows.set(id, reader.currentRowCount);
    }
    return { ms: performance.now() - start, rows };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

const execFileAsync = promisify(execFile);
const CLI_PATH = path.resolve(__dirname, '..', 'dist', 'cli.js');

interface DetectReport {
  detections: { id: string; rowCount: number }[];
  files: number;
  filesFromCache: number;
}

/**
 * `audit-lens detect --format json --fail-on none` through dist/cli.js: time, rows per detection
 * id and the files its record cache served. Cold by default (a fresh, empty folder for the scan
 * and record caches, removed after); with `caches`, over that folder as an earlier run left it.
 */
export async function cliDetections(folder: string, caches?: string): Promise<CliDetectionFigures> {
  const scanCache = caches ?? (await mkdtemp(path.join(tmpdir(), 'audit-lens-bench-scan-')));
  try {
    const runEnv = { ...process.env, [SCAN_CACHE_ENV]: scanCache };
    const start = performance.now();
    const { stdout } = await execFileAsync(process.execPath, [CLI_PATH, 'detect', '--source', folder, '--format', 'json', '--fail-on', 'none'], { env: runEnv, maxBuffer: 1 << 30 });
    const ms = performance.now() - start;
    const report = JSON.parse(stdout) as DetectReport;
    return { ms, rows: new Map(report.detections.map((d) => [d.id, d.rowCount])), files: report.files, filesFromCache: report.filesFromCache };
  } finally {
    if (caches === undefined) await rm(scanCache, { recursive: true, force: true });
  }
}

/** The ids whose row counts differ, with both counts. */
export function compareRows(ours: DetectionFigures, duck: DetectionFigures): string[] {
  const ids = [...new Set([...ours.rows.keys(), ...duck.rows.keys()])];
  return ids
    .filter((id) => ours.rows.get(id) !== duck.rows.get(id))
    .map((id) => `${id}: audit-lens ${ours.rows.get(id) ?? 'no run'}, DuckDB ${duck.rows.get(id) ?? 'no run'}`);
}
