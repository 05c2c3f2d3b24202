/** The built thread bundles (`npm run build` makes them), for tests that start real threads. */
import * as path from 'node:path';
import { QUERY_WORKER_FILE, READ_WORKER_FILE, SCAN_WORKER_FILE } from '../../src/worker/entries';

export const QUERY_WORKER_BUNDLE = path.resolve(__dirname, '../../dist', QUERY_WORKER_FILE);
export const SCAN_WORKER_BUNDLE = path.resolve(__dirname, '../../dist', SCAN_WORKER_FILE);
export const READ_WORKER_BUNDLE = path.resolve(__dirname, '../../dist', READ_WORKER_FILE);
