// Preloaded into every process of a test run. In a test file's own process (the one node's test
// runner starts for it), records the process's peak resident memory at exit, for the runner's report.
import { writeFileSync } from 'node:fs';

const target = process.env.AUDIT_LENS_TEST_PEAK_FILE;
if (target && process.env.NODE_TEST_CONTEXT) {
  // Processes the test file starts itself must not overwrite the figure.
  delete process.env.AUDIT_LENS_TEST_PEAK_FILE;
  process.on('exit', () => {
    try {
      writeFileSync(target, String(process.resourceUsage().maxRSS * 1024));
    } catch {
      // The runner then falls back on its own samples.
    }
  });
}
