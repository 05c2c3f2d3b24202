/**
 * The same file reached through two sources (a source given twice, or one inside another) is one
 * file: it is read once, and the overlap is said.
 */
import { realpathSync } from 'node:fs';
import * as path from 'node:path';
import { isGcsUri } from './index';
import type { AuditFile } from './types';

/**
 * What makes two listed URIs the same file: a gs:// object as named, a local path with its links
 * resolved (a link beside its target, or a source reached through a link, is the same file).
 */
export function fileIdentity(uri: string): string {
  if (isGcsUri(uri)) return uri;
  try {
    return realpathSync.native(uri);
  } catch {
    return path.resolve(uri);
  }
}

/** What makes two listed files the same file: what the listing learnt, else their URIs' identity. */
export function listedFileIdentity(file: AuditFile): string {
  return file.identity ?? fileIdentity(file.uri);
}

/** The note for files listed more than once: none when the sources do not overlap. */
export function describeOverlap(repeats: number): string[] {
  if (repeats === 0) return [];
  return [`${repeats} ${repeats === 1 ? 'file is' : 'files are'} listed more than once (a source given twice, one inside another, or a link to a file already listed): each is read once`];
}
