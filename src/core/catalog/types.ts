/** The two values of an audit record's `auditLevel`; the catalog uses them as each service's level. */
export const AUDIT_LEVELS = ['WORKSPACE_LEVEL', 'ACCOUNT_LEVEL'] as const;
export type AuditLevel = (typeof AUDIT_LEVELS)[number];

/** One action as the catalog's data writes it: documented requestParams keys by name. */
export interface ActionData {
  name: string;
  description: string;
  params: readonly string[];
  /** Where the entry comes from (URL and section), when not the service's source. */
  source?: string;
}

export interface ServiceData {
  name: string;
  level: AuditLevel;
  description: string;
  /** Other spellings the source page uses for the same service. */
  aliases?: readonly string[];
  /** Other names of the same service in other documentation versions or in logs; lookups follow them both ways. */
  alsoNamed?: readonly string[];
  /** Where the entry comes from (URL and section); the original page's entries default to it. */
  source?: string;
  /** True when the catalog holds only some of the service's actions. */
  partial?: boolean;
  actions: readonly ActionData[];
}

export interface CatalogParam {
  name: string;
  description: string;
  /** Values the source page documents for this key, when it lists any. */
  values?: readonly string[];
}

export interface CatalogAction {
  service: string;
  name: string;
  level: AuditLevel;
  description: string;
  params: readonly CatalogParam[];
  source: string;
}

export interface CatalogService {
  name: string;
  level: AuditLevel;
  description: string;
  aliases: readonly string[];
  alsoNamed: readonly string[];
  source: string;
  partial: boolean;
  actions: readonly CatalogAction[];
}

/** Plain data for hovers and help: no markdown, safe to render as text. */
export interface CatalogDoc {
  /** `service`, `service.action` or `service.action: key`, as the catalog spells them. */
  title: string;
  description: string;
  /** Undefined when the catalog does not know the service. */
  level?: AuditLevel;
  /** The documented keys below this entry: action names of a service, param keys of an action, values of a param. */
  documentedKeys: readonly string[];
  /** False when the catalog has no entry for it. */
  documented: boolean;
  /** Where a documented service or action comes from (URL and section). */
  source?: string;
}

/** The catalog as `audit-lens catalog --json` prints it. */
export interface CatalogJson {
  services: {
    name: string;
    level: AuditLevel;
    description: string;
    actions: { name: string; description: string; params: string[] }[];
  }[];
}
