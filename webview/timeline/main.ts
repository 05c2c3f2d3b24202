/** Entry point of the Timeline webview (bundled to dist/timeline.js). */
import { TimelineApp } from './app';
import { TimelineConnection } from './connection';
import { registerToolkit } from '../ui/toolkit';

registerToolkit();
const host = new TimelineConnection(acquireVsCodeApi());
new TimelineApp(host, document.getElementById('app') ?? document.body);
