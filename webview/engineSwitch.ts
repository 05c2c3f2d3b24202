/** The scope bar's engine control: which engine runs the notebook's cells, and a way to switch. */
import type { EngineView, NotebookEngine } from '../src/protocol/notebook';
import { h } from './dom';
import { choice } from './ui/components';

export const ENGINE_LABELS: Record<NotebookEngine, string> = {
  local: 'Local (this machine)',
  databricks: 'Databricks SQL warehouse',
};

export function engineSwitch(view: EngineView, onSwitch: (engine: NotebookEngine) => void): HTMLElement {
  const select = choice({
    label: `Engine: ${ENGINE_LABELS[view.engine]}`,
    name: 'engine',
    value: view.engine,
    choices: [
      { value: 'local', label: ENGINE_LABELS.local, title: 'Load the scope into memory and run cells with sql.js' },
      {
        value: 'databricks',
        label: ENGINE_LABELS.databricks,
        title: view.databricksConfigured ? 'Run cells on the configured SQL warehouse, which reads the bucket itself' : 'Set auditLens.databricks.warehouseId and a host (setting, DATABRICKS_HOST or a profile) first',
        disabled: !view.databricksConfigured && view.engine !== 'databricks',
      },
    ],
    onChange: (value) => onSwitch(value === 'databricks' ? 'databricks' : 'local'),
  });
  return h('div', { className: `engine-switch engine-${view.engine}`, dataset: { engine: view.engine } }, h('span', { className: 'engine-label', text: 'Engine' }), select);
}
