/** The Coverage webview's end of its protocol. */
import type { CoverageHostNotifications, CoverageWebviewNotifications } from '../../src/protocol/coverage';
import { PanelConnection } from '../panelConnection';

export class CoverageConnection extends PanelConnection<CoverageHostNotifications, CoverageWebviewNotifications> {}
