/** The thread bundles' file names, declared once for the build (esbuild.config.mjs reads entries.json) and the clients. */
import entries from './entries.json';

export const QUERY_WORKER_FILE = `${entries.query.bundle}.js`;
export const SCAN_WORKER_FILE = `${entries.scan.bundle}.js`;
export const READ_WORKER_FILE = `${entries.read.bundle}.js`;
export const COVERAGE_WORKER_FILE = `${entries.coverage.bundle}.js`;
