/**
 * Which detections the editor runs: the built-ins, the packs the `auditLens.detectionPacks`
 * setting names and each workspace folder's `.auditlens/detections/`, with the values of
 * `auditLens.detectionParameters`. A workspace chooses packs and parameters only when it is
 * trusted; the user's own settings always count. A pack that cannot be read, or a parameter that
 * does not fit, is a problem to report while everything else still runs. No VS Code: tested on its own.
 */
import { existsSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { detections as builtinDetections, type Detection, type ParameterValue } from '../../core/analyses';
import { applyParameterOverrides, checkedValue, declaredParameter, detectionNamed, packFiles, readPackFile } from '../../core/detections';
import { AuditLensError } from '../../core/errors';

/** The folder of each workspace folder whose pack files load in a trusted workspace. */
export const WORKSPACE_PACK_FOLDER = path.join('.auditlens', 'detections');

export const PACKS_SETTING = 'auditLens.detectionPacks';
export const PARAMETERS_SETTING = 'auditLens.detectionParameters';

/** A setting's value at the user's level and at the workspace's (workspace file or folder), as read, unchecked. */
export interface SettingLevels {
  user: unknown;
  workspace: unknown;
}

export interface LibraryInput {
  trusted: boolean;
  packs: SettingLevels;
  parameters: SettingLevels;
  /** The workspace folders' paths on disk; relative pack paths resolve against the first. */
  workspaceFolders: readonly string[];
  /** The built-in detections (a parameter so tests can pass a few). */
  builtin?: readonly Detection[];
}

export interface EditorLibrary {
  detections: Detection[];
  /** The pack files the detections beyond the built-ins came from, in load order. */
  packFiles: string[];
  /** What could not be used, each a message for the user naming the file (line, detection, field) or the setting. */
  problems: string[];
  /** What the Findings view should say about the library (an untrusted workspace runs the built-ins only). */
  notes: string[];
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string' && v.trim() !== '').map((v) => v.trim()) : [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasValue(value: unknown): boolean {
  return Array.isArray(value) ? value.length > 0 : isRecord(value) ? Object.keys(value).length > 0 : value !== undefined;
}

/** `~/x` in the home folder, a relative path under the first workspace folder. */
function resolvePath(target: string, folders: readonly string[]): string {
  if (target === '~' || target.startsWith('~/')) return path.join(homedir(), target.slice(1));
  if (path.isAbsolute(target) || folders.length === 0) return target;
  return path.resolve(folders[0]!, target);
}

function isFolder(target: string): boolean {
  try {
    return statSync(target).isDirectory();
  } catch {
    return false;
  }
}

function message(error: unknown): string {
  const e = AuditLensError.from(error);
  return e.userMessage;
}

/** The pack files to read, each once: the setting's paths (the user's, then the workspace's when trusted), then each folder's .auditlens/detections. */
function packTargets(input: LibraryInput, problems: string[]): string[] {
  const targets = [...stringList(input.packs.user), ...(input.trusted ? stringList(input.packs.workspace) : [])].map((t) => resolvePath(t, input.workspaceFolders));
  const files: string[] = [];
  for (const target of targets) {
    try {
      files.push(...packFiles(target));
    } catch (e) {
      problems.push(`${PACKS_SETTING}: ${message(e)}`);
    }
  }
  if (input.trusted) {
    for (const folder of input.workspaceFolders) {
      const dir = path.join(folder, WORKSPACE_PACK_FOLDER);
      if (!isFolder(dir)) continue;
      try {
        files.push(...packFiles(dir));
      } catch {
        // An empty .auditlens/detections folder simply adds nothing.
      }
    }
  }
  return [...new Set(files.map((f) => path.resolve(f)))];
}

/** Every value of the setting that fits a detection's declared parameter (the workspace's over the user's); the rest become problems. */
function parameterOverrides(input: LibraryInput, library: readonly Detection[], problems: string[]): Record<string, Record<string, ParameterValue>> {
  const overrides: Record<string, Record<string, ParameterValue>> = {};
  const levels = input.trusted ? [input.parameters.user, input.parameters.workspace] : [input.parameters.user];
  for (const level of levels) {
    if (level === undefined || level === null) continue;
    if (!isRecord(level)) {
      problems.push(`${PARAMETERS_SETTING} must be an object: {"<detection-id>": {"<parameter>": value}}.`);
      continue;
    }
    for (const [id, values] of Object.entries(level)) {
      if (!isRecord(values)) {
        problems.push(`${PARAMETERS_SETTING}: the value for '${id}' must be an object of parameter values.`);
        continue;
      }
      for (const [name, value] of Object.entries(values)) {
        try {
          const parameter = declaredParameter(detectionNamed(library, id), name);
          (overrides[id] ??= {})[name] = checkedValue(value, parameter, `${id}.${name}`);
        } catch (e) {
          const error = AuditLensError.from(e);
          problems.push(`${PARAMETERS_SETTING}: ${error.userMessage}${error.detail ? ` ${error.detail}` : ''}`);
        }
      }
    }
  }
  return overrides;
}

/** The library the editor runs now, with what went wrong and what the view should say. */
export function resolveEditorLibrary(input: LibraryInput): EditorLibrary {
  const problems: string[] = [];
  const notes: string[] = [];
  const library: Detection[] = [...(input.builtin ?? builtinDetections)];
  const seen = new Map(library.map((d) => [d.id, d.pack]));
  const loaded: string[] = [];
  for (const file of packTargets(input, problems)) {
    let found: Detection[];
    try {
      found = readPackFile(file);
    } catch (e) {
      problems.push(message(e));
      continue;
    }
    const clash = found.find((d) => seen.has(d.id) || found.filter((o) => o.id === d.id).length > 1);
    if (clash) {
      const first = seen.get(clash.id);
      problems.push(`Detection pack ${file}: detection id '${clash.id}' is defined ${first ? `in ${first} too` : 'twice'}: ids must be unique across packs. The pack was left out.`);
      continue;
    }
    found.forEach((d) => seen.set(d.id, d.pack));
    library.push(...found);
    loaded.push(file);
  }
  if (!input.trusted) {
    const ignored = [hasValue(input.packs.workspace) ? 'detection packs' : undefined, hasValue(input.parameters.workspace) ? 'detection parameters' : undefined].filter(Boolean);
    const folders = input.workspaceFolders.some((f) => existsSync(path.join(f, WORKSPACE_PACK_FOLDER)));
    const what = [...ignored, ...(folders ? [WORKSPACE_PACK_FOLDER.split(path.sep).join('/')] : [])];
    notes.push(`Restricted mode: the built-in detections run${stringList(input.packs.user).length > 0 ? ' with the packs of your user settings' : ''}; ${what.length > 0 ? `this workspace's ${what.join(', ')} are ignored` : "this workspace's packs and parameters would be ignored"} until you trust it.`);
  }
  return { detections: applyParameterOverrides(library, parameterOverrides(input, library, problems), PARAMETERS_SETTING), packFiles: loaded, problems, notes };
}
