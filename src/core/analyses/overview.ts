/** The overview a notebook starts with after the examples: how many events each service and action has. */
import { DEFAULT_CELL_SQL, DEFAULT_CELL_TITLE } from '../../shared/notebook/defaults';
import type { Analysis } from './types';

export const eventsByService: Analysis = {
  id: 'overview.events-by-service',
  category: 'overview',
  title: DEFAULT_CELL_TITLE,
  question: 'Which services and actions produce the most events in the scope?',
  sql: DEFAULT_CELL_SQL,
};
