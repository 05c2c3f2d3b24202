/** Which detections a command runs: the built-ins (unless --no-builtin), every --pack, with --param values, narrowed by --only. */
import { detections, selectDetections, type Detection, type ParameterValue } from '../core/analyses';
import { applyParameterOverrides, combineDetections, declaredParameter, detectionNamed, parsedValue, readPacks } from '../core/detections';
import { AuditLensError } from '../core/errors';
import { allValues, usageError } from './args';
import type { CliArgs } from './command';

export const PACK_OPTION = 'pack';
export const ONLY_OPTION = 'only';
export const NO_BUILTIN_FLAG = 'no-builtin';
export const PARAM_OPTION = 'param';

export const LIBRARY_USAGE = `  --pack PATH             add the detections of a pack: a .yaml/.yml/.json file, or a folder of
                          them (repeatable); Databricks SQL queries-and-alerts JSON loads as is
  --no-builtin            leave the built-in detections out (use with --pack)
  --only ID,…             run only these detections (comma-separated, repeatable)
  --param ID.NAME=VALUE   set a detection's parameter (repeatable), such as
                          --param secret-reads.ignoreActors=etl@example.com,ci@example.com;
                          a list as comma-separated items or a JSON array`;

/** The built-ins (unless --no-builtin), then every --pack in the order given; ids unique across them. */
export function detectionLibrary(args: CliArgs, hint: string): Detection[] {
  const packs = allValues(args, PACK_OPTION);
  if (args.options.has(PACK_OPTION) && packs.some((p) => p.trim() === '')) throw usageError('--pack needs a file or folder.', hint);
  const builtin = !args.flags.has(NO_BUILTIN_FLAG);
  if (!builtin && packs.length === 0) throw usageError('--no-builtin leaves no detection to run: add one with --pack PATH.', hint);
  const library = combineDetections([builtin ? detections : [], readPacks(packs)]);
  return applyParameterOverrides(library, parameterOverrides(args, library, hint), '--param');
}

/** Every --param as values by detection id and parameter name; a later value for the same name wins. */
export function parameterOverrides(args: CliArgs, library: readonly Detection[], hint: string): Record<string, Record<string, ParameterValue>> {
  const overrides: Record<string, Record<string, ParameterValue>> = {};
  for (const text of allValues(args, PARAM_OPTION)) {
    const eq = text.indexOf('=');
    const key = eq < 0 ? text : text.slice(0, eq);
    const dot = key.lastIndexOf('.');
    if (eq < 0 || dot <= 0 || dot === key.length - 1) throw usageError(`--param '${text}' is not ID.NAME=VALUE (such as secret-reads.ignoreActors=etl@example.com).`, hint);
    const id = key.slice(0, dot).trim();
    const name = key.slice(dot + 1).trim();
    try {
      const parameter = declaredParameter(detectionNamed(library, id), name);
      (overrides[id] ??= {})[name] = parsedValue(text.slice(eq + 1), parameter, `--param ${id}.${name}`);
    } catch (e) {
      const error = AuditLensError.from(e);
      throw usageError(`--param ${id}.${name}: ${error.userMessage}${error.detail ? ` ${error.detail}` : ''}`, hint);
    }
  }
  return overrides;
}

/** The library narrowed to `--only`'s ids (every detection without it). */
export function chosenDetections(args: CliArgs, hint: string): Detection[] {
  const only = allValues(args, ONLY_OPTION).flatMap((value) => value.split(','));
  if (args.options.has(ONLY_OPTION) && only.every((id) => id.trim() === '')) throw usageError('--only needs detection ids.', hint);
  return selectDetections(only, detectionLibrary(args, hint));
}
