/**
 * Turns lines into SQLite's JSONB, ahead of the inserts: a thread with time to spare checks each
 * line exactly as the insert would (strict RFC 8259, a JSON object) and converts it, so the
 * session's thread only extracts the columns. A line that fails the check is left as it is, for
 * the loader to insert or report as it always does.
 */
import type { Database, Statement } from 'sql.js';
import { loadSqlJs } from './sqljs';

const CONVERT = `SELECT jsonb(CAST(?1 AS TEXT)) WHERE json_valid(CAST(?1 AS TEXT), 1) AND json_type(CAST(?1 AS TEXT)) = 'object'`;

export class JsonbConverter {
  private constructor(
    private readonly db: Database,
    private readonly statement: Statement,
  ) {}

  static async open(wasmPath?: string): Promise<JsonbConverter> {
    const SQL = await loadSqlJs(wasmPath);
    const db = new SQL.Database();
    return new JsonbConverter(db, db.prepare(CONVERT));
  }

  /** The line's JSONB, or undefined when it is not a strict JSON object (or one SQLite refuses, e.g. nested too deep). */
  convert(line: Uint8Array): Uint8Array | undefined {
    try {
      this.statement.bind([line]);
      return this.statement.step() ? (this.statement.get()[0] as Uint8Array) : undefined;
    } catch {
      return undefined;
    } finally {
      this.statement.reset();
    }
  }

  close(): void {
    this.statement.free();
    this.db.close();
  }
}
