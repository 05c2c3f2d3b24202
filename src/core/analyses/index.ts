/** The library of analyses: Databricks' examples, the events-by-service overview, then security detections. */
import { detections } from './detections';
import { exampleAnalyses } from './examples';
import { eventsByService } from './overview';
import { lazyList } from './lazy';
import type { Analysis } from './types';

export type { AlertCondition, Analysis, Detection, DetectionParameter, DetectionTests, ParameterValue, Severity } from './types';
export { BUILTIN_PACK, SEVERITIES } from './types';
export { exampleAnalyses } from './examples';
export { detections } from './detections';
export { eventsByService } from './overview';

export const analyses: readonly Analysis[] = lazyList(() => [...exampleAnalyses, eventsByService, ...detections]);

export function findAnalysis(id: string): Analysis | undefined {
  return analyses.find((a) => a.id === id);
}

export function analysesIn(category: Analysis['category']): Analysis[] {
  return analyses.filter((a) => a.category === category);
}
export {
  bySeverity,
  detectionPrefilter,
  detectionPushdown,
  failsAt,
  runDetections,
  selectDetections,
  severityCounts,
  severityRank,
  type DetectionQuery,
  type DetectionRun,
  type SeverityCounts,
} from './run';
