/** sql.js, loaded once per thread, from the wasm file given (or its default place beside the bundle). */
import { existsSync } from 'node:fs';
import initSqlJs, { type SqlJsStatic } from 'sql.js';
import { AuditLensError } from '../errors';

let sqlModule: Promise<SqlJsStatic> | undefined;

export function loadSqlJs(wasmPath?: string): Promise<SqlJsStatic> {
  // sql.js aborts its thread, past any catch, when it cannot read its wasm: look first.
  if (wasmPath !== undefined && !existsSync(wasmPath)) return Promise.reject(new AuditLensError('internal', `sql.js's wasm file is missing: ${wasmPath}.`));
  sqlModule ??= initSqlJs(wasmPath ? { locateFile: () => wasmPath } : undefined);
  return sqlModule;
}
