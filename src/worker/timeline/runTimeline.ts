/**
 * Runs one identity's timeline: a query session loads only what the timeline statements can read
 * (their pushdown, and the dates around the window), runs them and assembles the Timeline in its
 * thread (never on the caller's, which may be the extension host's). The CLI and the editor both call it.
 */
import { cancelled } from '../../core/errors';
import type { WorkOptions } from '../../core/progress';
import type { GcsTimeouts } from '../../core/sources';
import { assembleTimeline, planTimeline, type TimelinePlan, type TimelineSelection } from '../../core/timeline';
import type { Identity, Timeline } from '../../shared/timeline';
import { QuerySession, type LoadSummary, type QuerySessionOptions } from '../query/client';
import { loadRequest } from '../session/loadRequest';

export interface TimelineRequest extends TimelineSelection {
  /** Local folders or `gs://bucket/prefix`. */
  sources: string[];
  gcsEndpoint?: string;
  gcs?: GcsTimeouts;
  /** The tree's scan cache, whose line index lets a prefiltered load read only the wanted lines. */
  scanCacheDirectory?: string;
}

/** Runs the plan's statements over a session that loaded for it; the session's thread assembles their rows. */
export function readTimeline(session: QuerySession, identity: Identity, plan: TimelinePlan, signal?: AbortSignal): Promise<Timeline> {
  return session.timeline(identity, plan.statements, signal ? { signal } : {});
}

export interface TimelineRun {
  timeline: Timeline;
  /** The load's summary (absent when the window held no instant): files skipped or lost, lines rejected. */
  load?: LoadSummary;
}

export interface TimelineRunOptions extends WorkOptions {
  session?: QuerySessionOptions;
}

/**
 * Opens a session, loads the request's files as the timeline needs them, runs it and closes the
 * session. Files lost to network errors are in `load.filesFailed`: the caller decides how to say so.
 */
export async function runTimeline(request: TimelineRequest, options: TimelineRunOptions = {}): Promise<TimelineRun> {
  const { session: sessionOptions, ...work } = options;
  const plan = planTimeline(request);
  if (plan.empty) return { timeline: assembleTimeline(request.identity, []) };
  if (work.signal?.aborted) throw cancelled();
  const session = await QuerySession.open(sessionOptions);
  try {
    const load = loadRequest({ sources: request.sources, filter: plan.filter }, { gcsEndpoint: request.gcsEndpoint, gcs: request.gcs, scanCacheDirectory: request.scanCacheDirectory }, plan.pushdown);
    const summary = await session.load(load, work);
    const timeline = await readTimeline(session, request.identity, plan, work.signal);
    return { timeline, load: summary };
  } finally {
    await session.dispose();
  }
}
