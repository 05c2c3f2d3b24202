/** The overview a notebook starts with after the examples: how many events each service and action has. */
import type { Analysis } from './types';

export const eventsByService: Analysis = {
  id: 'overview.events-by-service',
  category: 'overview',
  title: 'Events by service and action',
  question: 'Which services and actions produce the most events in the scope?',
  sql: `SELECT serviceName, actionName, COUNT(*) AS events
FROM audit_logs
GROUP BY 1, 2
ORDER BY events DESC`,
};
