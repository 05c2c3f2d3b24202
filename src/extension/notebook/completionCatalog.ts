/** The completion catalog the webview receives once: audit_logs columns, nested fields, services, actions and their params. */
import { catalogServices, findServices } from '../../core/catalog';
import type { CompletionCatalog } from '../../protocol/notebook';

const COLUMNS: CompletionCatalog['columns'] = [
  { name: 'version' },
  { name: 'timestamp' },
  { name: 'workspaceId' },
  { name: 'date' },
  { name: 'sourceIPAddress' },
  { name: 'userAgent' },
  { name: 'sessionId' },
  { name: 'userIdentity', fields: ['email'] },
  { name: 'serviceName' },
  { name: 'actionName' },
  { name: 'requestId' },
  { name: 'requestParams' },
  { name: 'response', fields: ['statusCode', 'errorMessage', 'result'] },
  { name: 'auditLevel' },
  { name: 'accountId' },
  { name: '_file' },
  { name: '_line' },
];

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
