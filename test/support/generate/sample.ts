/** The options that produce the bundled sample bucket (samples/bucket); a test regenerates it from these. */
import type { GenerateOptions } from './generator';

export const SAMPLE_BUCKET_OPTIONS: GenerateOptions = {
  seed: 'audit-lens-sample-1',
  workspaces: 3,
  days: 7,
  startDate: '2024-05-06',
  recordsPerDay: 150,
};
