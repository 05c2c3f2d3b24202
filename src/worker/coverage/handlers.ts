/** The coverage thread's handler: runs the pass and gathers, file by file, what the editor's heatmap needs. */
import { measureCoverage } from '../../core/coverage';
import { throttledProgress } from '../../core/progress';
import type { Handlers } from '../channel/thread';
import type { CoverageFileHours, CoverageProtocol } from './protocol';

export const coverageHandlers: Handlers<CoverageProtocol> = {
  async measure(request, context) {
    const files: CoverageFileHours[] = [];
    const report = await measureCoverage(request, {
      signal: context.signal,
      onProgress: throttledProgress(context.progress),
      onFileRead: (coverage) => {
        files.push({ uri: coverage.file.uri, workspaceId: coverage.file.workspaceId, hours: [...coverage.hours.keys()].sort((a, b) => a - b) });
      },
    });
    // Files are read side by side and end in any order: the editor lists them by name.
    files.sort((a, b) => (a.uri < b.uri ? -1 : a.uri > b.uri ? 1 : 0));
    return { report, files };
  },
};
