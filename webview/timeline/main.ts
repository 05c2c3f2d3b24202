/** Entry point of the Timeline webview (bundled to dist/timeline.js). */
import { TimelineApp } from './app';
import { TimelineConnection } from './connection';
import { registerToolkit } from '../ui/toolkit';

registerToolkit();
const api = acquireVsCodeApi();
new TimelineApp(new TimelineConnection(api), api, document.getElementById('app') ?? document.body);
