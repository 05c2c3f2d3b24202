/** The one load request every session builds from a scope, the settings and a pushdown. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { loadRequest, scopeSelection } from '../../../src/worker/session/loadRequest';
import { loadGaps } from '../../../src/worker/session/loadedScope';
import type { LoadSummary } from '../../../src/core/sql/loader';

describe('session load request', () => {
  it('carries the scope, the read settings and the pushdown, and only what is set', () => {
    const request = loadRequest(
      scopeSelection({ sources: ['gs://b/p'], from: '2024-01-01', workspaces: ['1'], dedupe: true }),
      { gcsEndpoint: 'http://localhost:4443', gcs: { idleTimeoutMs: 5000 }, scanCacheDirectory: '/cache' },
      { columns: ['serviceName'] },
    );
    assert.deepEqual(request, {
      sources: ['gs://b/p'],
      filter: { from: '2024-01-01', to: undefined, workspaces: ['1'] },
      gcsEndpoint: 'http://localhost:4443',
      gcs: { idleTimeoutMs: 5000 },
      scanCacheDirectory: '/cache',
      columns: ['serviceName'],
      dedupe: true,
    });
    assert.deepEqual(loadRequest({ sources: ['/logs'] }), { sources: ['/logs'] });
  });

  it('tells an empty load and files that could not be read apart', () => {
    const summary = (fields: Partial<LoadSummary>): LoadSummary => ({ files: 1, filesSkipped: 0, filesFailed: 0, filesOverlapping: 0, loadedFiles: [], listingNotes: [], bytes: 0, linesRead: 0, recordsLoaded: 0, linesRejected: 0, linesSkippedByFilter: 0, filesReadByIndex: 0, problems: [], problemCount: 0, durationMs: 0, ...fields });
    assert.equal(loadGaps(summary({})).noLogs, true);
    assert.equal(loadGaps(summary({ linesSkippedByFilter: 3 })).noLogs, false, 'lines a filter passed over are logs');
    const partial = loadGaps(summary({ recordsLoaded: 5, filesFailed: 1, problems: [{ file: 'gs://b/x.json', line: 0, offset: 0, reason: 'timeout' }, { file: 'gs://b/y.json', line: 4, offset: 10, reason: 'not JSON' }] }));
    assert.deepEqual(partial, { noLogs: false, filesFailed: 1, filesPassedOver: [{ file: 'gs://b/x.json', line: 0, offset: 0, reason: 'timeout' }] });
  });
});
