/** Where the shared scan cache lives on each platform, and the variable that moves it. */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { defaultScanCacheDirectory, SCAN_CACHE_ENV } from '../../../src/core/scan/cache-location';

describe('defaultScanCacheDirectory', () => {
  it('follows each platform\'s per-user cache folder', () => {
    assert.equal(defaultScanCacheDirectory({}, 'linux', '/home/ana'), '/home/ana/.cache/audit-lens/scan-cache');
    assert.equal(defaultScanCacheDirectory({ XDG_CACHE_HOME: '/var/cache/ana' }, 'linux', '/home/ana'), '/var/cache/ana/audit-lens/scan-cache');
    assert.equal(defaultScanCacheDirectory({}, 'darwin', '/Users/ana'), '/Users/ana/Library/Caches/audit-lens/scan-cache');
    assert.equal(defaultScanCacheDirectory({ LOCALAPPDATA: 'C:\\Users\\ana\\AppData\\Local' }, 'win32', 'C:\\Users\\ana'), 'C:\\Users\\ana\\AppData\\Local\\audit-lens\\Cache\\scan-cache');
  });

  it('goes where the variable says, made absolute', () => {
    assert.equal(defaultScanCacheDirectory({ [SCAN_CACHE_ENV]: 'relative/cache', XDG_CACHE_HOME: '/x' }, 'linux', '/home/ana'), path.resolve('relative/cache'));
  });
});
