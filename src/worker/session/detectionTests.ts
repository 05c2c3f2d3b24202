/** A query session as the engine detection tests load their records into: each load replaces the last. */
import type { DetectionTestEngine } from '../../core/detections';
import type { QuerySession } from '../query/client';

export function sessionTestEngine(session: QuerySession): DetectionTestEngine {
  return {
    load: (folder, pushdown, signal) => session.load({ sources: [folder], ...pushdown }, { ...(signal ? { signal } : {}) }),
    query: (sql, options) => session.query(sql, options),
  };
}
