/**
 * The coverage client's one call on its worker channel: a coverage pass, run in the thread, with
 * what the editor needs beside the report (which hours each file read holds, and where duplicate
 * events fall). Both sides import this file; everything here is plain data.
 */
import type { CoverageReport, CoverageRequest } from '../../core/coverage';
import type { Call } from '../channel/messages';

/** A file the pass read: its workspace and the UTC hours (start, epoch ms) its events fall in. */
export interface CoverageFileHours {
  uri: string;
  workspaceId: string;
  hours: number[];
}

export interface CoverageRun {
  report: CoverageReport & { listingNotes: string[] };
  files: CoverageFileHours[];
}

export type CoverageProtocol = {
  measure: Call<CoverageRequest, CoverageRun>;
};
