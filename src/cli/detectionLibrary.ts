/** Which detections a command runs: the built-ins (unless --no-builtin), every --pack, narrowed by --only. */
import { detections, selectDetections, type Detection } from '../core/analyses';
import { combineDetections, readPacks } from '../core/detections';
import { allValues, usageError } from './args';
import type { CliArgs } from './command';

export const PACK_OPTION = 'pack';
export const ONLY_OPTION = 'only';
export const NO_BUILTIN_FLAG = 'no-builtin';

export const LIBRARY_USAGE = `  --pack PATH             add the detections of a pack: a .yaml/.yml/.json file, or a folder of
                          them (repeatable); Databricks SQL queries-and-alerts JSON loads as is
  --no-builtin            leave the built-in detections out (use with --pack)
  --only ID,…             run only these detections (comma-separated, repeatable)`;

/** The built-ins (unless --no-builtin), then every --pack in the order given; ids unique across them. */
export function detectionLibrary(args: CliArgs, hint: string): Detection[] {
  const packs = allValues(args, PACK_OPTION);
  if (args.options.has(PACK_OPTION) && packs.some((p) => p.trim() === '')) throw usageError('--pack needs a file or folder.', hint);
  const builtin = !args.flags.has(NO_BUILTIN_FLAG);
  if (!builtin && packs.length === 0) throw usageError('--no-builtin leaves no detection to run: add one with --pack PATH.', hint);
  return combineDetections([builtin ? detections : [], readPacks(packs)]);
}

/** The library narrowed to `--only`'s ids (every detection without it). */
export function chosenDetections(args: CliArgs, hint: string): Detection[] {
  const only = allValues(args, ONLY_OPTION).flatMap((value) => value.split(','));
  if (args.options.has(ONLY_OPTION) && only.every((id) => id.trim() === '')) throw usageError('--only needs detection ids.', hint);
  return selectDetections(only, detectionLibrary(args, hint));
}
