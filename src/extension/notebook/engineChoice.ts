/** What the notebook says about the Databricks engine: where cells run, and the offer when local is too small. */
import type { NotebookScope } from '../../protocol/notebook';
import type { DatabricksSettings } from '../settings';
import { safeWindow } from '../untrustedText';

export const RUN_ON_WAREHOUSE = 'Run on Databricks warehouse';

export function warehouseStatusMessage(host: string, settings: DatabricksSettings, scope: NotebookScope): string {
  const table = settings.auditTable ? `audit_logs is ${settings.auditTable}` : `audit_logs reads ${scope.sources.length === 1 ? scope.sources[0] : `${scope.sources.length} sources`} on the warehouse`;
  return `Cells run on Databricks SQL warehouse ${settings.warehouseId ?? '?'} at ${host.replace(/^https?:\/\//, '')} · ${table} · nothing is loaded here`;
}

/** After a load passed the row budget: offers the warehouse instead of only narrowing the dates. */
export async function offerWarehouse(message: string): Promise<boolean> {
  const choice = await safeWindow.showWarningMessage(`${message} The scope can run on your Databricks SQL warehouse instead, which reads the files itself.`, RUN_ON_WAREHOUSE, 'Narrow the dates');
  return choice === RUN_ON_WAREHOUSE;
}
