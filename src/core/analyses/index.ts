/** The library of analyses: Databricks' examples, then security detections when present. */
import { exampleAnalyses } from './examples';
import type { Analysis } from './types';

export type { Analysis } from './types';
export { exampleAnalyses } from './examples';

export const analyses: readonly Analysis[] = [...exampleAnalyses];

export function findAnalysis(id: string): Analysis | undefined {
  return analyses.find((a) => a.id === id);
}

export function analysesIn(category: Analysis['category']): Analysis[] {
  return analyses.filter((a) => a.category === category);
}
