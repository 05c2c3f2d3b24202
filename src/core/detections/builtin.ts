/**
 * The built-in detections: one YAML file each, named `NN-<id>.yaml` so the library's order is the
 * files' order, shipped next to the bundles (dist/detections) and read from the sources'
 * detections/builtin folder when running from source.
 */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { AuditLensError } from '../errors';
import { BUILTIN_PACK, type Detection } from '../analyses/types';
import { combineDetections, packFiles, readPackFile } from './packs';

const CANDIDATES = [path.join(__dirname, 'detections'), path.resolve(__dirname, '../../../detections/builtin')];

/** The folder the built-in detection files are read from. */
export function builtinDetectionsDirectory(): string {
  const found = CANDIDATES.find((dir) => existsSync(path.join(dir, '01-failed-logins.yaml')));
  if (!found) throw new AuditLensError('internal', 'The built-in detections are missing from the installation.', `Looked in: ${CANDIDATES.join(', ')}`);
  return found;
}

/** Every built-in detection, ordered by file name. */
export function readBuiltinDetections(): Detection[] {
  return combineDetections(packFiles(builtinDetectionsDirectory()).map((file) => readPackFile(file, BUILTIN_PACK)));
}
