/** What the page is sent once a timeline is read. Pure. */
import { MAX_EVENTS_SHOWN, type TimelineStatus } from '../../protocol/timeline';
import type { Timeline } from '../../shared/timeline';

/** The status that shows a timeline: at most MAX_EVENTS_SHOWN of its events go to the page, with the count found. */
export function readyStatus(timeline: Timeline, durationMs: number): TimelineStatus {
  const found = timeline.events.length;
  if (found <= MAX_EVENTS_SHOWN) return { state: 'ready', timeline, durationMs };
  return { state: 'ready', timeline: { ...timeline, events: timeline.events.slice(0, MAX_EVENTS_SHOWN) }, durationMs, eventsFound: found };
}
