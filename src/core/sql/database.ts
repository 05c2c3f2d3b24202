/**
 * The sql.js database of a query session: schema, Spark-style queries with error positions,
 * capped results, row streaming for export, and snapshots. Synchronous; it runs in the worker.
 */
import type { Database, SqlJsStatic, Statement } from 'sql.js';
import { AuditLensError } from '../errors';
import { countFromIndex } from './capped-count';
import { StatementClock, type ClockOptions } from './clock';
import { sqliteErrorToSqlError, type Translation } from './dialect';
import { isHotColumn } from './dialect/hot-columns';
import { registerSparkFunctions } from './functions';
import { DEFAULT_QUERY_MAX_ROWS } from './limits';
import { CREATE_TABLES, OWN_SCHEMA_OBJECTS, SESSION_PRAGMAS } from './schema';
import { asParsedQuery, type ParsedQuery, type ParsedStatement } from './query';
import { loadSqlJs } from './sqljs';
import type { QueryResult, RowsForm } from '../../shared/sql/result';
import { isJsonColumnName, isMarkedJson, rowsJsonText, toCell, toJsonText, type ColumnKind, type RawValue } from './values';

export type { QueryResult } from '../../shared/sql/result';

export { DEFAULT_QUERY_MAX_ROWS };

/** Reads rows with integers as bigint (the option exists in sql.js but not in its typings). */
function getRaw(statement: Statement): RawValue[] {
  return (statement.get as (params: null, config: { useBigInt: boolean }) => RawValue[])(null, { useBigInt: true });
}

/**
 * Reads the current row for a result: as plain numbers (about a third cheaper than bigints, which
 * sql.js makes from each integer's text), and again with bigints when a value is an integer past
 * 2^53, which only a bigint keeps exact.
 */
function getRow(statement: Statement): RawValue[] {
  const row = statement.get() as RawValue[];
  return row.some(isInexactInteger) ? getRaw(statement) : row;
}

/**
 * The result columns to show, and a function that keeps only their values in a row: everything
 * but the table's hot columns, which a `SELECT *` would otherwise list (see hot-columns.ts).
 */
function shownColumns(statement: Statement): { columns: string[]; shown: (row: RawValue[]) => RawValue[] } {
  const names = statement.getColumnNames();
  const kept = names.flatMap((name, i) => (isHotColumn(name) ? [] : [i]));
  if (kept.length === names.length) return { columns: names, shown: (row) => row };
  return { columns: kept.map((i) => names[i]!), shown: (row) => kept.map((i) => row[i]!) };
}

function isInexactInteger(value: RawValue): boolean {
  return typeof value === 'number' && Number.isInteger(value) && !Number.isSafeInteger(value);
}

/** One prepared statement of a (possibly multi-statement) query, with where it sits in the SQL. */
export interface PreparedStatement {
  statement: Statement;
  start: number;
  end: number;
  changesData: boolean;
}

export class AuditDatabase {
  private readonly clock = new StatementClock();

  private constructor(
    private db: Database,
    private readonly SQL: SqlJsStatic,
  ) {
    this.db.exec(CREATE_TABLES);
    this.applySessionSettings();
  }

  /** Settings and functions live on the connection: sql.js drops them when it reopens it. */
  private applySessionSettings(): void {
    this.db.exec(SESSION_PRAGMAS);
    registerSparkFunctions(this.db, () => this.clock.now());
  }

  static async open(options: { wasmPath?: string; snapshot?: Uint8Array } = {}): Promise<AuditDatabase> {
    const SQL = await loadSqlJs(options.wasmPath);
    return new AuditDatabase(new SQL.Database(options.snapshot), SQL);
  }

  /**
   * Gives the database room for about `bytes` in one allocation, when it holds nothing a reopen
   * could lose: the audit tables empty and no table, view or index of the user's. sql.js keeps
   * the database in one array that otherwise grows by an eighth at a time, copied whole at each
   * step (a quarter of a big load's time). The room is committed memory, so reserve only what a
   * load will fill. Returns whether it reopened.
   */
  reserve(bytes: number): boolean {
    const [pages, pageSize] = [this.scalar('PRAGMA page_count'), this.scalar('PRAGMA page_size')];
    if (bytes <= pages * pageSize) return false;
    if (!this.holdsNothing()) return false;
    const room = new Uint8Array(bytes);
    room.set(this.db.export());
    this.restore(room);
    return true;
  }

  /** Whether the user made tables, views or indexes of their own (a statement of a cell, say). */
  holdsUserObjects(): boolean {
    return this.scalar(`SELECT count(*) FROM sqlite_schema WHERE name NOT IN (${OWN_SCHEMA_OBJECTS.map((name) => `'${name}'`).join(', ')})`) > 0;
  }

  /** Whether the audit tables hold a record or an error. */
  holdsRecords(): boolean {
    return this.scalar('SELECT EXISTS (SELECT 1 FROM audit_logs) OR EXISTS (SELECT 1 FROM audit_errors)') > 0;
  }

  /** Whether the database holds nothing a replacement could lose: no record, no error, nothing of the user's. */
  holdsNothing(): boolean {
    return !this.holdsUserObjects() && !this.holdsRecords();
  }

  /** Replaces the whole database with an image (see `snapshot`), or with a new empty one. */
  restore(image?: Uint8Array): void {
    this.db.close();
    this.db = new this.SQL.Database(image);
    if (!image) this.db.exec(CREATE_TABLES);
    this.applySessionSettings();
  }

  private scalar(sql: string): number {
    return Number(this.db.exec(sql)[0]?.values[0]?.[0] ?? 0);
  }

  /** The raw sql.js database, for the loader. */
  get handle(): Database {
    return this.db;
  }

  get rowCount(): number {
    const result = this.db.exec('SELECT count(*) FROM audit_logs');
    return Number(result[0]?.values[0]?.[0] ?? 0);
  }

  /** The whole database as bytes (sql.js reopens it, so session settings are applied again). */
  snapshot(): Uint8Array {
    const bytes = this.db.export();
    this.applySessionSettings();
    return bytes;
  }

  close(): void {
    this.db.close();
  }

  /**
   * Runs every statement of a Spark-style query; returns the last result that has columns.
   * `changedData` tells the caller a snapshot is due. With `rowsAs` 'json' the rows come back as `rowsJson`.
   */
  query(sql: string | ParsedQuery, maxRows = DEFAULT_QUERY_MAX_ROWS, clock: ClockOptions = {}, rowsAs: RowsForm = 'values'): QueryResult & { changedData: boolean } {
    const started = performance.now();
    let result: QueryResult | undefined;
    let changedData = false;
    this.forEachStatement(sql, (prepared, translation) => {
      changedData ||= prepared.changesData;
      const { columns, shown } = shownColumns(prepared.statement);
      const rawRows: RawValue[][] = [];
      const marked = new Set<number>();
      let rowCount = 0;
      this.guard(translation, prepared, () => {
        while (prepared.statement.step()) {
          rowCount++;
          if (rawRows.length >= maxRows) {
            const total = rowCount === maxRows + 1 && !prepared.changesData ? countFromIndex(this.db, translation.sql.slice(prepared.start, prepared.end)) : undefined;
            if (total !== undefined && total >= rowCount) {
              rowCount = total;
              break;
            }
            continue;
          }
          const raw = shown(getRow(prepared.statement));
          raw.forEach((value, i) => {
            if (isMarkedJson(value)) marked.add(i);
          });
          rawRows.push(raw);
        }
      });
      const rows = rawRows.map((raw) => raw.map((value, i) => (marked.has(i) && value !== null ? toJsonText(value, 'value') : toCell(value))));
      if (columns.length > 0 || result === undefined) {
        const columnKinds = columns.map((name, i): ColumnKind => (marked.has(i) || isJsonColumnName(name) || translation.jsonNames.has(name.toLowerCase()) ? 'json' : 'value'));
        const kept = rowsAs === 'json' ? { rows: [], rowsJson: rowsJsonText(rows, columnKinds) } : { rows };
        result = { columns, columnKinds, ...kept, rowCount, truncated: rowCount > rows.length, durationMs: 0 };
      }
    }, clock);
    if (!result) throw new AuditLensError('sql', 'There is no SQL statement to run.');
    return { ...result, durationMs: performance.now() - started, changedData };
  }

  /**
   * Prepares the query's statements one by one and hands each to `use`; statements are freed after.
   * Errors become SqlErrors positioned in the user's SQL. Each statement's "now" is `clock.asOf`, else the wall clock when it starts.
   */
  forEachStatement(sql: string | ParsedQuery, use: (prepared: PreparedStatement, translation: Translation) => void, clock: ClockOptions = {}): void {
    const { translation, statements } = translatedStatements(sql);
    for (const statement of statements) {
      this.clock.start(clock.asOf);
      const prepared = this.prepareStatement(translation, statement);
      try {
        use(prepared, translation);
      } finally {
        prepared.statement.free();
      }
    }
  }

  /**
   * Runs every statement but the last; returns the last one prepared, for the caller to step and
   * free before the next query (the last statement's "now" stays until then).
   */
  prepareForExport(sql: string | ParsedQuery, clock: ClockOptions = {}): PreparedStatement & { translation: Translation; columns: string[]; read(): RawValue[] } {
    const { translation, statements } = translatedStatements(sql);
    const last = statements.pop();
    if (!last) throw new AuditLensError('sql', 'There is no SQL statement to run.');
    for (const statement of statements) {
      this.clock.start(clock.asOf);
      const prepared = this.prepareStatement(translation, statement);
      try {
        this.guard(translation, prepared, () => {
          while (prepared.statement.step());
        });
      } finally {
        prepared.statement.free();
      }
    }
    this.clock.start(clock.asOf);
    const prepared = this.prepareStatement(translation, last);
    const { columns, shown } = shownColumns(prepared.statement);
    return { ...prepared, translation, columns, read: () => shown(getRaw(prepared.statement)) };
  }

  private prepareStatement(translation: Translation, { span, parsed }: TranslatedStatement): PreparedStatement {
    let statement: Statement;
    try {
      statement = this.db.prepare(translation.sql.slice(span.start, span.end));
    } catch (error) {
      throw this.sqlError(error, translation, span);
    }
    if (parsed.ownObject !== undefined) {
      statement.free();
      throw new AuditLensError('sql', `${parsed.ownObject} belongs to the session (the loaded audit logs and what is built on them): it cannot be dropped or altered, nor hidden by a temporary table or view of its name. Copy what you need instead: CREATE TABLE mine AS SELECT … FROM audit_logs.`);
    }
    return { statement, start: span.start, end: span.end, changesData: parsed.writes };
  }

  /** Runs `work`, turning SQLite errors into SqlErrors for the statement. */
  guard(translation: Translation, prepared: { start: number; end: number }, work: () => void): void {
    try {
      work();
    } catch (error) {
      throw this.sqlError(error, translation, prepared);
    }
  }

  private sqlError(error: unknown, translation: Translation, span: { start: number; end: number }): AuditLensError {
    if (error instanceof AuditLensError) return error;
    const message = error instanceof Error ? error.message : String(error);
    return sqliteErrorToSqlError(message, translation, span, (prefix) => this.parseError(prefix));
  }

  private parseError(sql: string): string | undefined {
    try {
      this.db.prepare(sql).free();
      return undefined;
    } catch (error) {
      return error instanceof Error ? error.message : String(error);
    }
  }
}

/** A statement of the user's, with where its translation lies in the SQLite SQL. */
interface TranslatedStatement {
  parsed: ParsedStatement;
  span: { start: number; end: number };
}

/** The query's translation and its statements, each paired with its span in the translation. */
function translatedStatements(sql: string | ParsedQuery): { translation: Translation; statements: TranslatedStatement[] } {
  const query = asParsedQuery(sql);
  const translation = query.translation();
  if (translation.statements.length !== query.statements.length) {
    throw new AuditLensError('internal', 'The translated SQL does not hold one statement for each of the query.', `${query.statements.length} statements, ${translation.statements.length} translated`);
  }
  return { translation, statements: translation.statements.map((span, i) => ({ span, parsed: query.statements[i]! })) };
}
