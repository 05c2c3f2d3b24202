/**
 * Calls JavaScript scalar functions from SQLite without sql.js's generic conversion: arguments
 * are read with the sqlite3_value API straight from the wasm memory and results written back
 * through one reusable buffer. sql.js's own path goes through `cwrap` for every argument and
 * result and decodes text with a TextDecoder; on the detections' per-row functions that is most
 * of a call's cost. Values convert exactly as sql.js converts them: INTEGER and REAL as numbers,
 * TEXT as strings, BLOB as a Uint8Array copy, NULL as null, and results back the same way; a
 * thrown error becomes the statement's error with the same message.
 */
import type { Database, SqlJsStatic, SqlValue } from 'sql.js';

/** The parts of the sql.js module this uses: all exported by sql.js, missing from its typings. */
export interface SqliteExports {
  addFunction(fn: (...args: number[]) => void, signature: string): number;
  removeFunction(pointer: number): void;
  stringToNewUTF8(text: string): number;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  _sqlite3_value_type(value: number): number;
  _sqlite3_value_double(value: number): number;
  _sqlite3_value_text(value: number): number;
  _sqlite3_value_blob(value: number): number;
  _sqlite3_value_bytes(value: number): number;
  _sqlite3_result_null(context: number): void;
  _sqlite3_result_int(context: number, value: number): void;
  _sqlite3_result_double(context: number, value: number): void;
  _sqlite3_result_text(context: number, text: number, bytes: number, destructor: number): void;
  _sqlite3_result_blob(context: number, blob: number, bytes: number, destructor: number): void;
  _sqlite3_result_error(context: number, message: number, bytes: number): void;
  _sqlite3_create_function_v2(db: number, name: number, arity: number, textRep: number, app: number, call: number, step: number, final: number, destroy: number): number;
}

/** A sql.js module and the wasm memory its SQLite runs in (sql.js does not export the memory: capture it at instantiation). */
export interface SqliteAccess {
  module: SqlJsStatic;
  /** Its `WebAssembly.Memory` (only its buffer is read; the engine's compile settings do not name the WebAssembly types). */
  memory: { readonly buffer: ArrayBuffer };
}

export type DirectFunction = (...args: SqlValue[]) => SqlValue | boolean;

const SQLITE_INTEGER = 1;
const SQLITE_FLOAT = 2;
const SQLITE_TEXT = 3;
const SQLITE_BLOB = 4;
const SQLITE_UTF8 = 1;
/** Tells SQLite to copy a result before the call returns (the buffer is reused). */
const SQLITE_TRANSIENT = -1;

/**
 * Text up to this many bytes is read and written in JavaScript when it is ASCII (addresses,
 * emails, patterns): cheaper than a call into Buffer's native UTF-8 code for so few bytes.
 */
const SHORT_TEXT = 64;

/** The ASCII text of `length` bytes at `at`, or undefined when a byte is not ASCII. */
function asciiText(heap: Uint8Array, at: number, length: number): string | undefined {
  const codes = new Array<number>(length);
  for (let i = 0; i < length; i++) {
    const byte = heap[at + i]!;
    if (byte >= 0x80) return undefined;
    codes[i] = byte;
  }
  return String.fromCharCode(...codes);
}

/** Writes `text` at `at` when it is all ASCII (one byte per character); false, having written part of it, when not. */
function writeAscii(heap: Uint8Array, text: string, at: number): boolean {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0x80) return false;
    heap[at + i] = code;
  }
  return true;
}

/** One module's direct calls: its memory views, result buffer and the destructor all its functions share. */
class DirectCalls {
  private readonly sqlite: SqliteExports;
  private heap: Buffer;
  private bytes: Uint8Array;
  private words: Int32Array;
  private buffer = 0;
  private bufferSize = 0;
  /** Frees a function's table slot when SQLite drops the function (replaced, or its database closed). */
  readonly destroy: number;

  constructor(private readonly access: SqliteAccess) {
    this.sqlite = access.module as unknown as SqliteExports;
    this.heap = Buffer.from(access.memory.buffer);
    this.bytes = new Uint8Array(access.memory.buffer);
    this.words = new Int32Array(access.memory.buffer);
    this.destroy = this.sqlite.addFunction((pointer: number) => this.sqlite.removeFunction(pointer), 'vi');
  }

  /** Views of the memory as it is now: growing it replaces its buffer. */
  private views(): void {
    // A grown memory detaches the old buffer, and views of a detached buffer have length 0.
    if (this.words.length === 0) {
      this.heap = Buffer.from(this.access.memory.buffer);
      this.bytes = new Uint8Array(this.access.memory.buffer);
      this.words = new Int32Array(this.access.memory.buffer);
    }
  }

  private argument(value: number): SqlValue {
    const sqlite = this.sqlite;
    const type = sqlite._sqlite3_value_type(value);
    if (type === SQLITE_INTEGER || type === SQLITE_FLOAT) return sqlite._sqlite3_value_double(value);
    if (type === SQLITE_TEXT) {
      const text = sqlite._sqlite3_value_text(value);
      const bytes = sqlite._sqlite3_value_bytes(value);
      this.views();
      return bytes <= SHORT_TEXT ? (asciiText(this.bytes, text, bytes) ?? this.heap.toString('utf8', text, text + bytes)) : this.heap.toString('utf8', text, text + bytes);
    }
    if (type === SQLITE_BLOB) {
      const blob = sqlite._sqlite3_value_blob(value);
      const bytes = sqlite._sqlite3_value_bytes(value);
      this.views();
      return this.bytes.slice(blob, blob + bytes);
    }
    return null;
  }

  arguments(count: number, values: number): SqlValue[] {
    const args = new Array<SqlValue>(count);
    for (let i = 0; i < count; i++) {
      this.views();
      args[i] = this.argument(this.words[(values >> 2) + i]!);
    }
    return args;
  }

  /** A reusable buffer of at least `bytes` in the wasm memory (never address 0: SQLite reads that as NULL). */
  private room(bytes: number): number {
    if (this.buffer === 0 || bytes > this.bufferSize) {
      if (this.buffer !== 0) this.sqlite._free(this.buffer);
      this.bufferSize = Math.max(bytes, 2 * this.bufferSize, 256);
      this.buffer = this.sqlite._malloc(this.bufferSize);
      if (this.buffer === 0) throw new Error(`out of memory for a function result of ${bytes} bytes`);
    }
    this.views();
    return this.buffer;
  }

  result(context: number, value: SqlValue | boolean | undefined): void {
    const sqlite = this.sqlite;
    switch (typeof value) {
      case 'boolean':
        sqlite._sqlite3_result_int(context, value ? 1 : 0);
        return;
      case 'number':
        sqlite._sqlite3_result_double(context, value);
        return;
      case 'string': {
        // A UTF-16 code unit takes at most 3 bytes in UTF-8.
        const at = this.room(3 * value.length);
        const bytes = value.length <= SHORT_TEXT && writeAscii(this.bytes, value, at) ? value.length : this.heap.write(value, at, 'utf8');
        sqlite._sqlite3_result_text(context, at, bytes, SQLITE_TRANSIENT);
        return;
      }
      case 'object': {
        if (value === null) sqlite._sqlite3_result_null(context);
        else if ((value as ArrayLike<number>).length != null) {
          const blob = value as ArrayLike<number>;
          const at = this.room(blob.length);
          this.bytes.set(blob, at);
          sqlite._sqlite3_result_blob(context, at, blob.length, SQLITE_TRANSIENT);
        } else this.error(context, `Wrong API use : tried to return a value of an unknown type (${String(value)}).`);
        return;
      }
      default:
        sqlite._sqlite3_result_null(context);
    }
  }

  error(context: number, message: string): void {
    const text = this.sqlite.stringToNewUTF8(message);
    this.sqlite._sqlite3_result_error(context, text, -1);
    this.sqlite._free(text);
  }

  register(db: Database, name: string, arity: number, impl: DirectFunction): void {
    const sqlite = this.sqlite;
    const call = sqlite.addFunction((context: number, count: number, values: number) => {
      let value: SqlValue | boolean;
      try {
        value = impl(...this.arguments(count, values));
      } catch (error) {
        this.error(context, error instanceof Error ? error.message : String(error));
        return;
      }
      this.result(context, value);
    }, 'viii');
    const handle = (db as unknown as { db: number }).db; // sql.js keeps the sqlite3* there, untyped
    const text = sqlite.stringToNewUTF8(name);
    let code: number;
    try {
      // The function's own table slot is its user data, so the shared destructor can free it.
      code = sqlite._sqlite3_create_function_v2(handle, text, arity, SQLITE_UTF8, call, call, 0, 0, this.destroy);
    } finally {
      sqlite._free(text);
    }
    if (code !== 0) throw new Error(`SQLite refused the function ${name}/${arity} (code ${code})`);
  }
}

const perModule = new WeakMap<SqlJsStatic, DirectCalls>();
const perDatabase = new WeakMap<Database, DirectCalls>();

/** From now on, scalars registered on `db` (through registerScalar) are called directly. */
export function callDirectly(db: Database, access: SqliteAccess): void {
  let calls = perModule.get(access.module);
  if (!calls) {
    calls = new DirectCalls(access);
    perModule.set(access.module, calls);
  }
  perDatabase.set(db, calls);
}

/** Registers `impl` for direct calls when `db` takes them; false when it does not. */
export function registerDirect(db: Database, name: string, arity: number, impl: DirectFunction): boolean {
  const calls = perDatabase.get(db);
  if (!calls) return false;
  calls.register(db, name, arity, impl);
  return true;
}
