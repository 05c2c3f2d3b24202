/** Entry point of the Coverage webview (bundled to dist/coverage.js). */
import { CoverageApp } from './app';
import { CoverageConnection } from './connection';
import { registerToolkit } from '../ui/toolkit';

registerToolkit();
const api = acquireVsCodeApi();
new CoverageApp(new CoverageConnection(api), document.getElementById('app') ?? document.body);
