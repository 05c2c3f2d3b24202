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
  /** Accept a plain http:// host that is not this machine (the token then travels in clear). */
  allowInsecureHttp?: boolean;
  /** How the caller lets the user accept that, for the refusal's message. */
  insecureHint?: string;
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

/** True for 127.0.0.0/8, ::1 and localhost: a request to them never leaves this machine. */
export function isLoopbackHost(hostname: string): boolean {
  const name = hostname.toLowerCase().replace(/^\[|\]$/g, '').replace(/\.$/, '');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name === '::1' || name === '0:0:0:0:0:0:0:1') return true;
  if (/^::ffff:127\.\d+\.\d+\.\d+$/.test(name)) return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name);
}

/**
 * Refuses a plain http:// workspace, which would carry the token in clear, unless it is this
 * machine or the user accepted the risk (`allowHint` says how).
 */
export function assertSecureHost(host: string, allowInsecureHttp: boolean, allowHint?: string): void {
  const url = new URL(normalizeHost(host));
  if (url.protocol !== 'http:' || allowInsecureHttp || isLoopbackHost(url.hostname)) return;
  const allow = allowHint ? `, or, only on a network you trust, ${allowHint}` : '';
  throw new AuditLensError('usage', `Refusing to send the Databricks token in clear to ${url.protocol}//${url.host}: use https://${url.host}${allow}.`);
}

interface Credential {
  token: string | undefined;
  origin: string;
  /** The host the token belongs to, as configured, or undefined when it names none. */
  host: string | undefined;
  /** What the user must do to use this kind of credential for another host. */
  forOtherHost: string;
}

function sameHost(a: string | undefined, b: string): boolean {
  return a !== undefined && normalizeHost(a) === b;
}

/**
 * Resolves host and token the way Databricks' unified client authentication pairs them: a
 * profile's token goes only to that profile's host; DATABRICKS_TOKEN goes to DATABRICKS_HOST, or to
 * the explicit host when DATABRICKS_HOST is unset; the editor's token to the host it was stored for.
 * An explicit profile must exist; without one, the environment wins and DEFAULT fills what it lacks.
 */
export async function resolveDatabricksAuth(request: AuthRequest): Promise<DatabricksAuth> {
  const env = request.env ?? process.env;
  const profileName = request.profile || env.DATABRICKS_CONFIG_PROFILE || undefined;
  const file = configFilePath(env);
  const envHost = env.DATABRICKS_HOST || undefined;
  const envToken = env.DATABRICKS_TOKEN || undefined;
  let profile: ReadonlyMap<string, string> | undefined;
  if (profileName) {
    const profiles = await readProfiles(file);
    profile = profiles?.get(profileName);
    if (!profile) throw new AuditLensError('no-credentials', `There is no profile [${profileName}] in ${file}.`, 'Create it with `databricks configure --profile NAME`, or pass --host and set DATABRICKS_TOKEN.');
  } else if (!(request.host || envHost) || !(request.token || envToken)) {
    profile = (await readProfiles(file))?.get('DEFAULT');
  }
  const label = `profile [${profileName ?? 'DEFAULT'}]`;
  const profileHost = profile?.get('host') || undefined;
  const rawHost = request.host || (profileName ? profileHost : undefined) || envHost || profileHost;
  if (!rawHost) {
    throw new AuditLensError('no-credentials', 'No Databricks workspace is configured: give --host (or DATABRICKS_HOST, or auditLens.databricks.host), or a profile of ~/.databrickscfg.');
  }
  const host = normalizeHost(rawHost);
  assertSecureHost(host, request.allowInsecureHttp === true, request.insecureHint);
  const editor: Credential = { token: request.token, origin: 'the editor', host: request.host ?? envHost, forOtherHost: `run "Audit Lens: Set Databricks Token" for ${host}` };
  const fromEnv: Credential = {
    token: envToken,
    origin: 'DATABRICKS_TOKEN',
    host: envHost ?? request.host,
    forOtherHost: `set DATABRICKS_HOST=${host} with that workspace's DATABRICKS_TOKEN`,
  };
  const fromProfile: Credential = {
    token: profile?.get('token'),
    origin: label,
    host: profileHost,
    forOtherHost: `use --profile NAME with a profile of ${file} whose host is ${host}`,
  };
  const candidates = profileName ? [editor, fromProfile, fromEnv] : [editor, fromEnv, fromProfile];
  const held = candidates.filter((c) => c.token !== undefined && c.token !== '');
  const found = held.find((c) => sameHost(c.host, host));
  if (found) return { host, token: found.token!, origin: found.origin };
  if (held.length === 0) {
    throw new AuditLensError('no-credentials', 'No Databricks token: set DATABRICKS_TOKEN, add token = … to the profile in ~/.databrickscfg, or (in the editor) run "Audit Lens: Set Databricks Token".');
  }
  // Every token held belongs elsewhere: sending one to this host would hand it to another server.
  const owners = held.map((c) => (c.host ? `${c.origin} belongs to ${normalizeHost(c.host)}` : `${c.origin} names no host`)).join('; ');
  const ways = [fromEnv, fromProfile].map((c) => c.forOtherHost);
  throw new AuditLensError(
    'no-credentials',
    `No token for ${host}: ${owners}, so it is not sent to ${host}. To query ${host}, ${ways.join(', or ')}.`,
  );
}
