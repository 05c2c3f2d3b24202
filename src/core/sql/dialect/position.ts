/** Positions in the user's SQL, and the SQL error that carries one. */
import { AuditLensError, type SerializedError } from '../../errors';

export interface SqlPosition {
  /** 1-based line and column (columns count UTF-16 code units, as editors do). */
  line: number;
  column: number;
  /** 0-based offset into the SQL text. */
  offset: number;
}

export function positionAt(text: string, offset: number): SqlPosition {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < clamped; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: clamped - lineStart + 1, offset: clamped };
}

/** The line of `text` holding the position, with a caret under it. */
export function caretExcerpt(text: string, position: SqlPosition): string {
  const lineText = text.split('\n')[position.line - 1] ?? '';
  return `${lineText}\n${' '.repeat(Math.max(0, position.column - 1))}^`;
}

export interface SerializedSqlError extends SerializedError {
  position?: SqlPosition;
}

/** A SQL error (code 'sql'); `position` points into the SQL the user wrote, when it is known. */
export class SqlError extends AuditLensError {
  constructor(
    message: string,
    readonly position?: SqlPosition,
    detail?: string,
  ) {
    super('sql', position ? `SQL error at line ${position.line}, column ${position.column}: ${message}` : `SQL error: ${message}`, detail);
    this.name = 'SqlError';
  }

  /** Error at an offset of the user's SQL, with the line and a caret as detail. */
  static at(sql: string, offset: number, message: string): SqlError {
    const position = positionAt(sql, offset);
    return new SqlError(message, position, caretExcerpt(sql, position));
  }

  override toJSON(): SerializedSqlError {
    return { ...super.toJSON(), position: this.position };
  }

  static revive(value: SerializedSqlError): AuditLensError {
    if (value.code !== 'sql') return new AuditLensError(value.code, value.userMessage, value.detail);
    const error = new SqlError('', value.position, value.detail);
    Object.defineProperty(error, 'userMessage', { value: value.userMessage });
    error.message = value.userMessage;
    return error;
  }
}
