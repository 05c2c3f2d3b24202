/**
 * Where the warehouse is and who we are, the way Databricks' unified client auth finds it:
 * an explicit host, `DATABRICKS_HOST` + `DATABRICKS_TOKEN`, or a profile of `~/.databrickscfg`
 * (`DATABRICKS_CONFIG_FILE` moves it; `DATABRICKS_CONFIG_PROFILE` or `--profile` picks one).
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import * as path from 'node:path';
import { AuditLensError } from '../errors';

export interface DatabricksAuth {
  /** `https://…` (or `http://` for a test server), without a trailing slash. */
  host: string;
  token: string;
  /** Where the token came from, for messages (never the token itself). */
  origin: string;
}

export interface AuthRequest {
  host?: string;
  profile?: string;
  /** A token the caller already holds (the editor's secret storage). */
  token?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

export type ConfigProfiles = ReadonlyMap<string, ReadonlyMap<string, string>>;

/** Parses the INI text of a `.databrickscfg`: `[profile]` sections of `key = value` lines. */
export function parseDatabricksConfig(text: string): ConfigProfiles {
  const profiles = new Map<string, Map<string, string>>();
  let current: Map<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      const name = section[1]!.trim();
      current = profiles.get(name) ?? new Map();
      profiles.set(name, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (eq < 0 || !current) continue;
    current.set(line.slice(0, eq).trim().toLowerCase(), line.slice(eq + 1).trim());
  }
  return profiles;
}

/** `adb-123.gcp.databricks.com` → `https://adb-123.gcp.databricks.com`; `http://` is kept for test servers. */
export function normalizeHost(host: string): string {
  const trimmed = host.trim().replace(/\/+$/, '');
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `https://${trimmed}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new AuditLensError('usage', `'${host}' is not a Databricks workspace URL (expected https://<workspace-host>).`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new AuditLensError('usage', `The Databricks host must be an https:// URL, not '${url.protocol}'.`);
  return `${url.protocol}//${url.host}`;
}

export function configFilePath(env: Readonly<Record<string, string | undefined>>): string {
  return env.DATABRICKS_CONFIG_FILE || path.join(homedir(), '.databrickscfg');
}

async function readProfiles(file: string): Promise<ConfigProfiles | undefined> {
  try {
    return parseDatabricksConfig(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AuditLensError('no-credentials', `Could not read the Databricks configuration file ${file}.`, error instanceof Error ? error.message : String(error));
  }
}

/**
 * Resolves host and token. An explicit profile must exist; without one, the environment wins
 * and the DEFAULT profile fills what it lacks.
 */
export async function resolveDatabricksAuth(request: AuthRequest): Promise<DatabricksAuth> {
  const env = request.env ?? process.env;
  const profileName = request.profile || env.DATABRICKS_CONFIG_PROFILE || undefined;
  const file = configFilePath(env);
  let profile: ReadonlyMap<string, string> | undefined;
  if (profileName) {
    const profiles = await readProfiles(file);
    profile = profiles?.get(profileName);
    if (!profile) throw new AuditLensError('no-credentials', `There is no profile [${profileName}] in ${file}.`, 'Create it with `databricks configure --profile NAME`, or pass --host and set DATABRICKS_TOKEN.');
  } else if (!(request.host || env.DATABRICKS_HOST) || !(request.token || env.DATABRICKS_TOKEN)) {
    profile = (await readProfiles(file))?.get('DEFAULT');
  }
  const host = request.host || (profileName ? profile?.get('host') : undefined) || env.DATABRICKS_HOST || profile?.get('host');
  if (!host) {
    throw new AuditLensError('no-credentials', 'No Databricks workspace is configured: give --host (or DATABRICKS_HOST, or auditLens.databricks.host), or a profile of ~/.databrickscfg.');
  }
  const candidates: [string | undefined, string][] = profileName
    ? [[request.token, 'the editor'], [profile?.get('token'), `profile [${profileName}]`], [env.DATABRICKS_TOKEN, 'DATABRICKS_TOKEN']]
    : [[request.token, 'the editor'], [env.DATABRICKS_TOKEN, 'DATABRICKS_TOKEN'], [profile?.get('token'), 'profile [DEFAULT]']];
  const found = candidates.find(([token]) => token !== undefined && token !== '');
  if (!found) {
    throw new AuditLensError('no-credentials', 'No Databricks token: set DATABRICKS_TOKEN, add token = … to the profile in ~/.databrickscfg, or (in the editor) run "Audit Lens: Set Databricks Token".');
  }
  return { host: normalizeHost(host), token: found[0]!, origin: found[1] };
}
