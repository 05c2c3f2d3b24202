/**
 * The requestParams catalog: every service, action and documented key of the original page's two
 * tables, then what the current reference adds (./current). Service names match case-insensitively
 * (the page itself writes both `sqlAnalytics` and `sqlanalytics`), and a name finds the entries of
 * the service's other names too (`databrickssql` finds `sqlanalytics`' actions and back); action
 * names and keys match exactly, as Spark compares them. `accounts` exists at both levels with
 * different actions: pass the record's level to choose, or get the workspace-level entry first.
 */
import { SEED_SOURCE, SERVICES } from './data';
import { CURRENT_SERVICES } from './current';
import { DOCUMENTED_VALUES, PARAM_DOCS } from './paramDocs';
import type {
  AuditLevel,
  CatalogAction,
  CatalogDoc,
  CatalogJson,
  CatalogParam,
  CatalogService,
  ServiceData,
} from './types';
import { own } from '../own';

export * from './types';

interface Index {
  services: readonly CatalogService[];
  /** Lower-cased name or spelling → the entries of that name, in catalog order. */
  byName: Map<string, CatalogService[]>;
  /** Lower-cased name → the lower-cased other names of the same service. */
  family: Map<string, Set<string>>;
}

let built: Index | undefined;

function paramDoc(service: string, action: string, key: string): CatalogParam {
  const description = own(PARAM_DOCS, `${service}.${action}.${key}`) ?? own(PARAM_DOCS, `${service}.${key}`) ?? own(PARAM_DOCS, key) ?? '';
  const values = own(DOCUMENTED_VALUES, `${service}.${action}.${key}`);
  return values ? { name: key, description, values } : { name: key, description };
}

function resolve(data: ServiceData, extra: readonly ServiceData[]): CatalogService {
  const source = data.source ?? SEED_SOURCE;
  const actions = [data, ...extra].flatMap((from) =>
    from.actions.map((a) => ({
      service: data.name,
      name: a.name,
      level: data.level,
      description: a.description,
      params: a.params.map((key) => paramDoc(data.name, a.name, key)),
      source: a.source ?? from.source ?? source,
    })),
  );
  return {
    name: data.name,
    level: data.level,
    description: data.description,
    aliases: data.aliases ?? [],
    alsoNamed: [...new Set([...(data.alsoNamed ?? []), ...extra.flatMap((e) => e.alsoNamed ?? [])])],
    source,
    partial: data.partial ?? false,
    actions,
  };
}

function sameService(a: ServiceData, b: ServiceData): boolean {
  return a.level === b.level && a.name.toLowerCase() === b.name.toLowerCase();
}

function link(family: Map<string, Set<string>>, a: string, b: string): void {
  for (const [from, to] of [[a, b], [b, a]] as const) {
    const set = family.get(from) ?? new Set<string>();
    set.add(to);
    family.set(from, set);
  }
}

function index(): Index {
  if (built) return built;
  const additions = CURRENT_SERVICES.filter((c) => SERVICES.some((s) => sameService(s, c)));
  const data = [...SERVICES, ...CURRENT_SERVICES.filter((c) => !additions.includes(c))];
  const services = data.map((d) => resolve(d, additions.filter((a) => sameService(d, a))));
  const byName = new Map<string, CatalogService[]>();
  const family = new Map<string, Set<string>>();
  for (const service of services) {
    for (const name of [service.name, ...service.aliases]) {
      const key = name.toLowerCase();
      const list = byName.get(key) ?? [];
      if (!list.includes(service)) list.push(service);
      byName.set(key, list);
    }
    for (const other of service.alsoNamed) link(family, service.name.toLowerCase(), other.toLowerCase());
  }
  built = { services, byName, family };
  return built;
}

/** The other names of a service (as the catalog spells them), e.g. modelRegistry for mlflowModelRegistry. */
export function otherNamesOf(name: string): readonly string[] {
  const { byName, family } = index();
  const names: string[] = [];
  for (const key of family.get(name.toLowerCase()) ?? []) {
    const entry = byName.get(key)?.[0];
    names.push(entry && entry.name.toLowerCase() === key ? entry.name : key);
  }
  return names;
}

/** Every catalog service: the original page's, workspace-level first in its order, then the current reference's. */
export function catalogServices(): readonly CatalogService[] {
  return index().services;
}

/**
 * The entries of a service name at every level (two for `accounts`), case-insensitively: the
 * name's own entries first, then those of its other names.
 */
export function findServices(name: string): readonly CatalogService[] {
  const { byName, family } = index();
  const key = name.toLowerCase();
  const found = [...(byName.get(key) ?? [])];
  for (const other of family.get(key) ?? []) {
    for (const service of byName.get(other) ?? []) if (!found.includes(service)) found.push(service);
  }
  return found;
}

/** A service by name (case-insensitive), preferring the given level. */
export function findService(name: string, level?: AuditLevel): CatalogService | undefined {
  const found = findServices(name);
  return found.find((s) => s.level === level) ?? found[0];
}

/** An action of a service (action names match exactly), preferring the given level. */
export function findAction(service: string, action: string, level?: AuditLevel): CatalogAction | undefined {
  let fallback: CatalogAction | undefined;
  for (const s of findServices(service)) {
    const found = s.actions.find((a) => a.name === action);
    if (found && (level === undefined || s.level === level)) return found;
    fallback ??= found;
  }
  return fallback;
}

/** The documented requestParams keys of an action; empty when the action is not in the catalog. */
export function paramsOf(service: string, action: string, level?: AuditLevel): readonly string[] {
  return findAction(service, action, level)?.params.map((p) => p.name) ?? [];
}

/** True when `key` is documented for the action (exact spelling). */
export function isDocumentedParam(service: string, action: string, key: string, level?: AuditLevel): boolean {
  return findAction(service, action, level)?.params.some((p) => p.name === key) ?? false;
}

/** The documented spelling of a key that differs from `key` only in letter case, if any. */
export function documentedSpellingOf(service: string, action: string, key: string, level?: AuditLevel): string | undefined {
  const lower = key.toLowerCase();
  return findAction(service, action, level)?.params.find((p) => p.name !== key && p.name.toLowerCase() === lower)?.name;
}

/** A sentence naming the other names of a service; empty when it has none. */
function otherNamesSentence(name: string): string {
  const others = otherNamesOf(name);
  return others.length > 0 ? ` Also named ${others.join(', ')} in other documentation versions and in logs.` : '';
}

/** The action names of a service entry, then those of the same service under its other names. */
function familyActions(found: CatalogService): string[] {
  const names = found.actions.map((a) => a.name);
  for (const other of otherNamesOf(found.name)) {
    const entries = index().byName.get(other.toLowerCase()) ?? [];
    const entry = entries.find((e) => e.level === found.level) ?? entries[0];
    for (const action of entry?.actions ?? []) if (!names.includes(action.name)) names.push(action.name);
  }
  return names;
}

export function describeService(service: string, level?: AuditLevel): CatalogDoc {
  const found = findService(service, level);
  if (!found) {
    return { title: service, description: `${service} is not a service of the audit-log catalog.`, documentedKeys: [], documented: false };
  }
  const partial = found.partial ? ' The catalog holds only some of its actions.' : '';
  return {
    title: found.name,
    description: found.description + otherNamesSentence(found.name) + partial,
    level: found.level,
    documentedKeys: familyActions(found),
    documented: true,
    source: found.source,
  };
}

export function describeAction(service: string, action: string, level?: AuditLevel): CatalogDoc {
  const found = findAction(service, action, level);
  if (!found) {
    const known = findService(service, level);
    const description = !known
      ? `${service}.${action} is not in the audit-log catalog.`
      : known.partial
        ? `${action} is not among the actions the catalog holds for ${known.name}; its source lists only some of them.`
        : `${action} is not a documented action of ${known.name}.`;
    return { title: `${known?.name ?? service}.${action}`, description, level: known?.level, documentedKeys: [], documented: false };
  }
  const requested = findServices(service)[0];
  const renamed = requested && requested.name.toLowerCase() !== found.service.toLowerCase() ? ` Documented under ${found.service}, another name of ${requested.name}.` : '';
  return {
    title: `${found.service}.${found.name}`,
    description: found.description + renamed,
    level: found.level,
    documentedKeys: found.params.map((p) => p.name),
    documented: true,
    source: found.source,
  };
}

export function describeParam(service: string, action: string, key: string, level?: AuditLevel): CatalogDoc {
  const found = findAction(service, action, level);
  const param = found?.params.find((p) => p.name === key);
  const title = `${found?.service ?? service}.${action}: ${key}`;
  if (!found || !param) {
    const spelling = documentedSpellingOf(service, action, key, level);
    const description = spelling
      ? `${key} is not documented for this action; the documented spelling is ${spelling}.`
      : found
        ? `${key} is not a documented request parameter of ${found.service}.${found.name}.`
        : `${service}.${action} is not in the audit-log catalog.`;
    return { title, description, level: found?.level, documentedKeys: [], documented: false };
  }
  const values = param.values ? ` Documented values: ${param.values.join(', ')}.` : '';
  return {
    title,
    description: param.description + values,
    level: found.level,
    documentedKeys: param.values ?? [],
    documented: true,
  };
}

/** The catalog as plain JSON: services with their level, actions and documented keys. */
export function catalogJson(): CatalogJson {
  return {
    services: catalogServices().map((s) => ({
      name: s.name,
      level: s.level,
      description: s.description,
      actions: s.actions.map((a) => ({ name: a.name, description: a.description, params: a.params.map((p) => p.name) })),
    })),
  };
}
