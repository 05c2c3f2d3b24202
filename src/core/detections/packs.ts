/**
 * Detection packs on disk: a file, or a folder whose *.yaml, *.yml and *.json files are each a
 * pack. A file holds one detection, a pack of them, or published queries and alerts. Ids are
 * unique across everything loaded; a clash names both places.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { AuditLensError } from '../errors';
import type { Detection } from '../analyses/types';
import { parsePackText } from './document';
import { packError } from './errors';
import { isAuditLensFormat, readAuditLensFormat } from './format';
import { isQueriesAndAlerts, readQueriesAndAlerts } from './queriesAndAlerts';

const PACK_FILE = /\.(ya?ml|json)$/i;

/** The detections of one file's text; `pack` names where they come from (by default the file). */
export function readPackText(text: string, file: string, pack: string = file): Detection[] {
  const document = parsePackText(text.replace(/^\uFEFF/, ''), file);
  let detections: Detection[];
  if (isQueriesAndAlerts(document.value)) detections = readQueriesAndAlerts(document, pack);
  else if (isAuditLensFormat(document.value)) detections = readAuditLensFormat(document, pack);
  else throw packError({ file }, 'holds neither a detection (id, title, severity, question, rationale, sql), a pack (detections: [...]) nor published queries ([{name, query, alert?}])');
  if (detections.length === 0) throw packError({ file }, 'holds no detection');
  return detections;
}

/** The pack files a path names: the file itself, or a folder's *.yaml, *.yml and *.json files, by name. */
export function packFiles(target: string): string[] {
  let stats;
  try {
    stats = statSync(target);
  } catch (e) {
    throw new AuditLensError('usage', `Detection pack ${target}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
  }
  if (!stats.isDirectory()) return [target];
  const files = readdirSync(target, { withFileTypes: true })
    .filter((entry) => entry.isFile() && PACK_FILE.test(entry.name) && !entry.name.startsWith('.'))
    .map((entry) => path.join(target, entry.name))
    .sort();
  if (files.length === 0) throw new AuditLensError('usage', `Detection pack folder ${target} holds no *.yaml, *.yml or *.json file.`);
  return files;
}

export function readPackFile(file: string, pack: string = file): Detection[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new AuditLensError('usage', `Detection pack ${file}: cannot be read (${(e as NodeJS.ErrnoException).code ?? String(e)}).`);
  }
  return readPackText(text, file, pack);
}

/** Every detection of these files and folders, in the order given (a folder's files by name). */
export function readPacks(targets: readonly string[]): Detection[] {
  return combineDetections(targets.flatMap(packFiles).map((file) => readPackFile(file)));
}

/** One library from several groups, in order; an id seen twice is an error naming both packs. */
export function combineDetections(groups: readonly (readonly Detection[])[]): Detection[] {
  const seen = new Map<string, Detection>();
  for (const detection of groups.flat()) {
    const first = seen.get(detection.id);
    if (first) {
      const places = first.pack === detection.pack ? `twice in ${first.pack}` : `in ${first.pack} and in ${detection.pack}`;
      throw new AuditLensError('usage', `Detection id '${detection.id}' is defined ${places}: ids must be unique across packs.`);
    }
    seen.set(detection.id, detection);
  }
  return [...seen.values()];
}
