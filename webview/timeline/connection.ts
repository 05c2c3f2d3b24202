/** The Timeline webview's end of its protocol. */
import type { TimelineHostNotifications, TimelineWebviewNotifications } from '../../src/protocol/timeline';
import { PanelConnection } from '../panelConnection';

export class TimelineConnection extends PanelConnection<TimelineHostNotifications, TimelineWebviewNotifications> {}
