/**
 * The requestParams catalog: every service, action and documented key of the source page's two
 * tables, with lookups. Service names match case-insensitively (the page itself writes both
 * `sqlAnalytics` and `sqlanalytics`); action names and keys match exactly, as Spark compares them.
 * `accounts` exists at both levels with different actions: pass the record's level to choose, or
 * get the workspace-level entry first.
 */
import { SERVICES } from './data';
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

let services: readonly CatalogService[] | undefined;
let byName: Map<string, CatalogService[]> | undefined;

function paramDoc(service: string, action: string, key: string): CatalogParam {
  const description = own(PARAM_DOCS, `${service}.${action}.${key}`) ?? own(PARAM_DOCS, `${service}.${key}`) ?? own(PARAM_DOCS, key) ?? '';
  const values = own(DOCUMENTED_VALUES, `${service}.${action}.${key}`);
  return values ? { name: key, description, values } : { name: key, description };
}

function resolve(data: ServiceData): CatalogService {
  return {
    name: data.name,
    level: data.level,
    description: data.description,
    aliases: data.aliases ?? [],
    actions: data.actions.map((a) => ({
      service: data.name,
      name: a.name,
      level: data.level,
      description: a.description,
      params: a.params.map((key) => paramDoc(data.name, a.name, key)),
    })),
  };
}

function index(): Map<string, CatalogService[]> {
  if (!byName) {
    services = SERVICES.map(resolve);
    byName = new Map();
    for (const service of services) {
      for (const name of [service.name, ...service.aliases]) {
        const key = name.toLowerCase();
        const list = byName.get(key) ?? [];
        if (!list.includes(service)) list.push(service);
        byName.set(key, list);
      }
    }
  }
  return byName;
}

/** Every catalog service, workspace-level first, in the source page's order. */
export function catalogServices(): readonly CatalogService[] {
  index();
  return services ?? [];
}

/** The entries of a service name at every level (two for `accounts`), case-insensitively. */
export function findServices(name: string): readonly CatalogService[] {
  return index().get(name.toLowerCase()) ?? [];
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

export function describeService(service: string, level?: AuditLevel): CatalogDoc {
  const found = findService(service, level);
  if (!found) {
    return { title: service, description: `${service} is not a service of the audit-log catalog.`, documentedKeys: [], documented: false };
  }
  return {
    title: found.name,
    description: found.description,
    level: found.level,
    documentedKeys: found.actions.map((a) => a.name),
    documented: true,
  };
}

export function describeAction(service: string, action: string, level?: AuditLevel): CatalogDoc {
  const found = findAction(service, action, level);
  if (!found) {
    const known = findService(service, level);
    const description = known
      ? `${action} is not a documented action of ${known.name}.`
      : `${service}.${action} is not in the audit-log catalog.`;
    return { title: `${known?.name ?? service}.${action}`, description, level: known?.level, documentedKeys: [], documented: false };
  }
  return {
    title: `${found.service}.${found.name}`,
    description: found.description,
    level: found.level,
    documentedKeys: found.params.map((p) => p.name),
    documented: true,
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
