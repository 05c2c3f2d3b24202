/** The completion catalog the webview receives once: audit_logs columns, nested fields, services, actions and their params. */
import { catalogServices, findServices } from '../../core/catalog';
import type { CompletionCatalog } from '../../protocol/notebook';
import { AUDIT_FIELDS } from '../../shared/auditRecord';

/** The table's columns less the internal ones, with a struct's nested fields. */
const COLUMNS: CompletionCatalog['columns'] = AUDIT_FIELDS.filter((field) => !field.internal).map((field) =>
  field.fields ? { name: field.name, fields: field.fields.map((nested) => nested.name) } : { name: field.name },
);

export function completionCatalog(): CompletionCatalog {
  const byName = new Map<string, Map<string, Set<string>>>();
  for (const service of catalogServices()) {
    const actions = byName.get(service.name) ?? new Map<string, Set<string>>();
    byName.set(service.name, actions);
    // A service's other names (databrickssql, sqlanalytics) complete each other's actions.
    for (const action of findServices(service.name).flatMap((s) => s.actions)) {
      const params = actions.get(action.name) ?? new Set<string>();
      actions.set(action.name, params);
      for (const p of action.params) params.add(p.name);
    }
  }
  return {
    columns: COLUMNS,
    services: [...byName].map(([name, actions]) => ({ name, actions: [...actions].map(([action, params]) => ({ name: action, params: [...params] })) })),
  };
}
