/**
 * The same file reached through two sources (a source given twice, or one inside another) is one
 * file: it is read once, and the overlap is said.
 */
import * as path from 'node:path';
import { isGcsUri } from './index';

/** What makes two listed URIs the same file: a gs:// object as named, a local path resolved. */
export function fileIdentity(uri: string): string {
  return isGcsUri(uri) ? uri : path.resolve(uri);
}

/** The note for files listed more than once: none when the sources do not overlap. */
export function describeOverlap(repeats: number): string[] {
  if (repeats === 0) return [];
  return [`${repeats} ${repeats === 1 ? 'file is' : 'files are'} under more than one source (a source given twice, or one inside another): each is read once`];
}
