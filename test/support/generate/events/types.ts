import type { ActionRow } from '../actionTable';
import type { EventContext } from '../context';

/** Emits the record(s) of one occurrence of an action. */
export type EventBuilder = (ctx: EventContext, row: ActionRow) => void;
